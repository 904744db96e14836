#pragma once
/// The CLI's verb registry: every verb lives in its own file and registers itself
/// with a static `VerbRegistration`, so adding a verb touches no other file.
///
///   static VerbRegistration reg{{.parent = "image", .name = "ls", .aliases = {"list"},
///       .help = "List images", .setup = setup_image_ls}};
///
/// `setup` declares the verb's flags on `cmd` (CLI11) and returns the action to run once
/// parsing succeeded. The action returns the process exit code. Verbs print their own
/// output; errors go through `report()` so every verb renders them the same way.

#include "engine/base/error.h"

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace wharf::cli {

/// Options that `wharf` takes before any verb.
struct GlobalOptions {
    std::string root;     ///< engine state root (--root, WHARF_ROOT, default /var/lib/wharf)
    std::string run_root; ///< runtime files (WHARF_RUN_ROOT, default /run/wharf)
    bool debug = false;
};

/// Options that `wharf compose` takes before its verb (docker compose's global flags).
struct ComposeOptions {
    std::vector<std::string> files;
    std::string project_name;
    std::string project_directory;
    std::vector<std::string> profiles;
    std::vector<std::string> env_files;
    std::string progress = "auto";
    bool dry_run = false;
    bool compatibility = false;
    std::string ansi = "auto";
};

struct Context {
    GlobalOptions global;
    ComposeOptions compose;
};

using VerbAction = std::function<int()>;

struct Verb {
    std::string parent;               ///< "" for top level, or "compose", "image", "network", …
    std::string name;
    std::vector<std::string> aliases; ///< e.g. {"list"} for `image ls`
    std::string help;
    std::function<VerbAction(CLI::App& cmd, Context& ctx)> setup;
    int usage_exit_code = 1;          ///< 125 for `run`/`create`, as Docker
};

struct VerbRegistration {
    explicit VerbRegistration(Verb verb);
};

/// Makes `cmd` take Docker's `IMAGE [COMMAND] [ARG...]` tail: option parsing stops at the
/// first positional (or `--`) and everything from there on lands in `out`, so
/// `run img ls -l` keeps `-l` for the container. At least `min_args` words are required.
void take_command_line(CLI::App& cmd, std::vector<std::string>& out, size_t min_args = 1);

/// All registered verbs, in registration order.
std::vector<Verb>& registered_verbs();

/// Prints an error as wharf prints every error (source snippet when located) and
/// returns `exit_code`.
int report(const Error& error, int exit_code = 1);

/// Runs the CLI on argv (argv[0] decides between `wharf` and `compose`); returns the exit code.
int run_cli(int argc, char** argv);
int run_cli(std::vector<std::string> args);

} // namespace wharf::cli
