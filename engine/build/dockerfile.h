#pragma once
/// The Dockerfile parser: text -> a list of instructions with their source lines.
///
/// Handles parser directives at the top (`# syntax=`, `# escape=`, `# check=`), comments,
/// line continuations with the escape character (comment and blank lines inside a
/// continuation are skipped, as BuildKit does), `--flag[=value]` options, the JSON (exec)
/// form `["a", "b"]` versus the shell form, and heredocs (`RUN <<EOF`, `COPY <<EOF /f`,
/// `<<-EOF` strips leading tabs, a quoted delimiter disables expansion).
///
/// It does not interpret arguments: variable substitution and per-instruction checks happen
/// in the instruction model (instruction.h), which has the variables in scope.
///
/// Errors carry a SourceLoc (file, line, the line's text) and name the instruction:
///   Dockerfile:3: unknown instruction: FORM
/// Pure; thread-safe.

#include "engine/base/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine::build {

struct Flag {
    std::string name; ///< without the leading "--"
    std::optional<std::string> value; ///< nullopt for a bare `--flag`
};

struct Heredoc {
    std::string name; ///< the delimiter word, e.g. "EOF"
    std::string content; ///< the body, each line ending in "\n"
    bool expand = true; ///< false when the delimiter was quoted (`<<"EOF"`, `<<'EOF'`)
    bool strip_tabs = false;
};

struct Instruction {
    std::string keyword; ///< upper case: "RUN", "COPY", ...
    std::vector<Flag> flags; ///< leading `--name=value` options, in order
    std::string args; ///< the text after the flags (continuations joined)
    bool json = false; ///< `args` was a JSON array of strings (exec form)
    std::vector<std::string> json_args; ///< its elements when `json`
    std::vector<Heredoc> heredocs; ///< bodies of `<<WORD` markers in `args`, in order
    std::string original; ///< the instruction as written (continuations joined)
    int line = 0; ///< 1-based first line
    int end_line = 0; ///< last line (incl. continuations and heredocs)

    /// Value of flag `name`, if given (the last one wins).
    std::optional<std::string> flag(std::string_view name) const;
    bool has_flag(std::string_view name) const;
};

struct Dockerfile {
    std::string path; ///< as given to parse (for messages)
    char escape = '\\';
    std::optional<std::string> syntax; ///< `# syntax=` (recorded, not acted on)
    std::vector<Instruction> instructions;
    std::vector<std::string> lines; ///< the source split into lines (for snippets)

    /// A SourceLoc for `line` of this file (for error rendering).
    wharf::SourceLoc loc(int line) const;
};

/// Parses `text`; `path` names the file in errors. Fails on an unknown instruction, a bad
/// directive, an unterminated heredoc, a flag on an instruction that takes none, or a file
/// without instructions ("the Dockerfile (Dockerfile) cannot be empty").
Result<Dockerfile> parse_dockerfile(std::string_view text, std::string path = "Dockerfile");

/// Every instruction keyword the parser accepts (upper case).
bool is_known_instruction(std::string_view keyword);

} // namespace wharf::engine::build
