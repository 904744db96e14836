#pragma once
/// SourceTree: the file trees COPY/ADD read from, seen through one interface:
/// - ContextTree: the build context directory minus what `.dockerignore` excludes;
/// - MergedTree: an image's layer directories (bottom -> top, overlayfs form) read as the
///   merged view, without mounting: a 0:0 char device hides lower entries (whiteout), a dir
///   with the `*.overlay.opaque` xattr hides lower children. Needs no privilege.
/// Paths are relative, `/`-separated, cleaned; "" is the root. Symlinks are never followed
/// (lstat semantics), so nothing resolves outside the tree.
/// Read-only; thread-safe for concurrent reads.

#include "engine/base/result.h"
#include "engine/build/dockerignore.h"

#include <optional>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace wharf::engine::build {

struct SourceStat {
    struct stat st { };
    std::string host_path; ///< where the entry's content lives on the host
};

class SourceTree {
public:
    virtual ~SourceTree() = default;
    /// lstat of `rel`; nullopt when absent (or excluded / whited out).
    virtual Result<std::optional<SourceStat>> stat(const std::string& rel) const = 0;
    /// Names in directory `rel`, sorted, without excluded/whited-out ones.
    virtual Result<std::vector<std::string>> list(const std::string& rel) const = 0;
    /// True for an excluded directory that is still walked because an exception may
    /// re-include something below it: the directory itself is not copied.
    virtual bool excluded(const std::string&) const { return false; }

    /// Expands a COPY source (may contain `*`, `?`, `[..]` per segment) to the matching
    /// paths, sorted. Fails with NotFound when nothing matches, and when the cleaned
    /// pattern leaves the tree (`..`).
    Result<std::vector<std::string>> expand(const std::string& pattern) const;
    /// `rel` and everything below it (pre-order, sorted).
    Result<std::vector<std::string>> walk(const std::string& rel) const;
};

class ContextTree : public SourceTree {
public:
    ContextTree(std::string dir, IgnoreMatcher ignore)
        : m_dir(std::move(dir))
        , m_ignore(std::move(ignore))
    {
    }
    Result<std::optional<SourceStat>> stat(const std::string& rel) const override;
    Result<std::vector<std::string>> list(const std::string& rel) const override;
    bool excluded(const std::string& rel) const override { return !rel.empty() && m_ignore.excluded(rel); }
    const std::string& dir() const { return m_dir; }

private:
    std::string m_dir;
    IgnoreMatcher m_ignore;
};

class MergedTree : public SourceTree {
public:
    /// `layers` bottom -> top; `xattr_prefix` "trusted." (root) or "user.".
    explicit MergedTree(std::vector<std::string> layers, std::string xattr_prefix = "trusted.")
        : m_layers(std::move(layers))
        , m_prefix(std::move(xattr_prefix))
    {
    }
    Result<std::optional<SourceStat>> stat(const std::string& rel) const override;
    Result<std::vector<std::string>> list(const std::string& rel) const override;
    /// Reads a whole regular file of the merged view (e.g. etc/passwd); nullopt when absent.
    Result<std::optional<std::string>> read(const std::string& rel) const;

private:
    std::vector<std::string> m_layers;
    std::string m_prefix;
};

} // namespace wharf::engine::build
