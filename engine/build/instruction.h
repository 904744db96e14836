#pragma once
/// The instruction model: one parsed Instruction plus the variables in scope -> a typed
/// command with its arguments substituted and validated.
///
/// Substitution follows the Dockerfile reference: FROM, COPY, ADD, ENV, ARG, LABEL, WORKDIR,
/// USER, VOLUME, EXPOSE, STOPSIGNAL expand `$VAR`; RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK
/// keep their text for the shell in the container. Errors read
///   Dockerfile:4: COPY requires at least two arguments
/// (file and line from the Instruction, the keyword in the message). Pure; thread-safe.

#include "engine/build/dockerfile.h"
#include "engine/build/shell_words.h"

#include <cstdint>
#include <variant>

namespace wharf::engine::build {

/// A command either in exec form (argv) or shell form (one string run by the SHELL).
struct CommandLine {
    bool shell = false;
    std::vector<std::string> argv; ///< exec form
    std::string text; ///< shell form

    /// The argv to run: exec form as is, shell form as `shell_prefix + [text]`.
    std::vector<std::string> resolve(const std::vector<std::string>& shell_prefix) const;
};

struct FromCmd {
    std::string image; ///< expanded reference, or "scratch"
    std::string name; ///< stage name (lower case) from `AS name`; "" when none
    std::string platform;
};
struct CopyCmd {
    bool add = false; ///< ADD (tar auto-extract, URLs) vs COPY
    std::vector<std::string> sources; ///< expanded source patterns
    std::string dest;
    std::string from; ///< --from=stage|image, "" for the build context
    std::string chown; ///< --chown=user[:group]
    std::optional<uint32_t> chmod; ///< --chmod=0755 (octal)
    std::vector<Heredoc> heredocs; ///< COPY <<EOF /dest: inline files, expanded if unquoted
};
struct RunCmd {
    CommandLine command;
    std::string network; ///< "", "default", "none" or "host"
};
struct EnvCmd {
    std::vector<KeyValue> pairs;
};
struct ArgDecl {
    std::string name;
    std::optional<std::string> default_value;
};
struct ArgCmd {
    std::vector<ArgDecl> args;
};
struct WorkdirCmd {
    std::string path;
};
struct ExposeCmd {
    std::vector<std::string> ports; ///< normalised "80/tcp", "53/udp"
};
struct CmdCmd {
    CommandLine command;
};
struct EntrypointCmd {
    CommandLine command;
};
struct UserCmd {
    std::string user;
};
struct LabelCmd {
    std::vector<KeyValue> pairs;
};
struct VolumeCmd {
    std::vector<std::string> paths;
};
struct HealthcheckCmd {
    std::vector<std::string> test; ///< ["NONE"], ["CMD", ...] or ["CMD-SHELL", cmd]
    int64_t interval_ns = 0, timeout_ns = 0, start_period_ns = 0, start_interval_ns = 0;
    int retries = 0;
};
struct ShellCmd {
    std::vector<std::string> shell;
};
struct StopsignalCmd {
    std::string signal;
};
struct OnbuildCmd {
    std::string expression; ///< the trigger instruction text, e.g. "RUN make"
};
struct MaintainerCmd {
    std::string name;
};

using Command
    = std::variant<FromCmd, CopyCmd, RunCmd, EnvCmd, ArgCmd, WorkdirCmd, ExposeCmd, CmdCmd, EntrypointCmd,
        UserCmd, LabelCmd, VolumeCmd, HealthcheckCmd, ShellCmd, StopsignalCmd, OnbuildCmd, MaintainerCmd>;

/// Interprets `ins` with `vars` in scope; errors are located at the instruction's line of `df`.
Result<Command> interpret(const Instruction& ins, const VarMap& vars, const Dockerfile& df);

/// Parses a Go duration ("30s", "1m30s", "500ms") into nanoseconds.
Result<int64_t> parse_duration(std::string_view text);

} // namespace wharf::engine::build
