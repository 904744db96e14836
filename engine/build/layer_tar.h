#pragma once
/// LayerTar: writes one layer tarball (uncompressed, PAX) from a planned set of entries,
/// and turns an overlayfs upper directory into such a plan.
///
/// Entries are collected first (`add_*`, later additions of the same path replace earlier
/// ones) and written by `write()` sorted by path, so parents precede children and no path
/// appears twice (the OCI layer spec forbids duplicates). Whiteouts follow OCI: a 0:0 char
/// device in an upper dir becomes `.wh.<name>`, a dir with the opaque xattr gets
/// `<dir>/.wh..wh..opq` (engine-reference §4.3).
/// Thread-compatible.

#include "engine/base/result.h"

#include <cstdint>
#include <map>
#include <string>

namespace wharf::engine::build {

struct TarEntry {
    enum class Kind { File, Dir, Symlink, Hardlink, CharDev, BlockDev, Fifo, Whiteout, Opaque };
    Kind kind = Kind::File;
    uint32_t mode = 0644; ///< permission bits incl. setuid/setgid/sticky
    uint32_t uid = 0, gid = 0;
    int64_t mtime = 0;
    std::string source; ///< File: host path of the content; "" with `content` set instead
    std::string content; ///< File: inline content (heredocs)
    std::string link; ///< Symlink/Hardlink target
    uint64_t rdev = 0; ///< devices
    std::map<std::string, std::string> xattrs;
};

class LayerTar {
public:
    /// `path` is relative to the layer root, without leading `/` (e.g. "www/index.html").
    void add(const std::string& path, TarEntry entry);
    bool has(const std::string& path) const { return m_entries.contains(path); }
    bool empty() const { return m_entries.empty(); }
    size_t size() const { return m_entries.size(); }
    const std::map<std::string, TarEntry>& entries() const { return m_entries; }

    /// Adds every entry of an overlayfs upper dir (`xattr_prefix` "trusted." or "user.").
    Result<void> add_upper_dir(const std::string& upper, const std::string& xattr_prefix = "trusted.");

    /// Writes the tar to `out_path`. Fails naming the entry and the libarchive error.
    Result<void> write(const std::string& out_path) const;

private:
    std::map<std::string, TarEntry> m_entries;
};

} // namespace wharf::engine::build
