#pragma once
/// Error: the one error type of wharf.
///
/// An Error carries a category (what kind of failure, for exit codes and
/// retries), a message (the innermost description, errno text last), a context
/// chain (outermost action first when rendered) and, for configuration errors,
/// the source position with the offending line so `render()` can draw a caret.
///
///   up: service "db": create container "shop-db-1": mount(2) `overlay`: Invalid argument
///   compose.yaml:14:9: services.web.ports[0]: invalid port "80:http": container port must be a number
///      14 |       - "80:http"
///         |         ^
///
/// Values only; thread-compatible.

#include <optional>
#include <string>
#include <vector>

namespace wharf {

enum class Errc {
    Invalid,     ///< bad input from the user: flags, files, references
    NotFound,    ///< a named thing does not exist (ENOENT, unknown image)
    Conflict,    ///< already exists / in use (EEXIST, EBUSY, port taken)
    Permission,  ///< EPERM / EACCES
    Sys,         ///< any other failing system call; errno kept
    Io,          ///< network or protocol failure talking to a peer
    Interrupted, ///< cancelled by a signal
    Internal,    ///< a broken invariant: a bug in wharf
};

/// A position in a source file; line and column are 1-based.
struct SourceLoc {
    std::string file;
    int line = 0;
    int column = 0;
    /// The text of the line (without newline), for the caret snippet; may be empty.
    std::string line_text;
};

class Error {
public:
    Error(Errc code, std::string message) : m_code(code), m_message(std::move(message)) {}

    /// An error from a failing system call: `call` names it and its subject,
    /// e.g. "mount(2) `overlay` on /x"; the errno text is appended.
    static Error from_errno(std::string call, int err);

    /// Prepends one context frame ("create container \"web-1\""); returns *this.
    Error& context(std::string frame) &;
    Error&& context(std::string frame) &&;
    Error& at(SourceLoc loc) &;
    Error&& at(SourceLoc loc) &&;

    Errc code() const { return m_code; }
    int sys_errno() const { return m_errno; }
    const std::string& message() const { return m_message; }
    const std::vector<std::string>& frames() const { return m_frames; }
    const std::optional<SourceLoc>& loc() const { return m_loc; }

    /// One line: "file:line:col: frame: frame: message" (no snippet).
    std::string summary() const;
    /// summary() plus, when the source line is known, the numbered line and a caret.
    std::string render() const;

private:
    Errc m_code;
    int m_errno = 0;
    std::string m_message;
    std::vector<std::string> m_frames; // outermost first
    std::optional<SourceLoc> m_loc;
};

/// The caret snippet alone: "   14 |       - \"80:http\"\n      |         ^\n".
std::string render_snippet(const SourceLoc& loc);

} // namespace wharf
