#pragma once
/// `.dockerignore` matching with Docker's rules (moby/patternmatcher semantics):
/// - one pattern per line; `#` lines and blank lines are skipped; whitespace trimmed;
/// - patterns are cleaned like a path (`./a//b/` -> `a/b`, leading `/` dropped);
/// - `*` and `?` never cross `/`; `[a-z]` classes; `\` escapes; `**` matches any number of
///   directories (zero included);
/// - a pattern that matches a directory excludes everything under it;
/// - `!pattern` re-includes; the LAST matching pattern decides.
/// Paths given to `excluded()` are relative to the context root, `/`-separated, no `./`.
/// Immutable after parse; thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine::build {

class IgnoreMatcher {
public:
    IgnoreMatcher() = default;
    /// Parses the text of a .dockerignore file.
    static IgnoreMatcher parse(std::string_view text);

    bool excluded(std::string_view path) const;
    /// True when some `!` pattern exists: an excluded directory must still be walked.
    bool has_exceptions() const { return m_has_exceptions; }
    bool empty() const { return m_patterns.empty(); }

private:
    struct Pattern {
        std::vector<std::string> segments;
        bool exception = false;
    };
    std::vector<Pattern> m_patterns;
    bool m_has_exceptions = false;
};

/// filepath.Clean for `/`-separated relative paths: "" and "." become ".", `..` collapses.
std::string clean_path(std::string_view path);

/// Matches `/`-separated `pattern` (with `**`) against the whole `path`.
bool path_match(std::string_view pattern, std::string_view path);

} // namespace wharf::engine::build
