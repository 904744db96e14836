#pragma once
/// LayerStore: every layer unpacked once, keyed by its DiffID, shared by all images and
/// containers that use it:
///   <image root>/layers/<diffid hex>/diff        the unpacked tree in overlayfs form
///   <image root>/layers/<diffid hex>/layer.json  {"diff_id","size","tar_size","xattr"}
/// A layer is unpacked into `layers/.tmp-*` and renamed into place only once its DiffID
/// is verified, so a visible layer directory is always complete. The directory of a layer
/// does not depend on its parents (overlayfs stacks them), hence DiffID, not ChainID.
///
/// Whiteouts use `trusted.overlay.*` when running as root, `user.overlay.*` otherwise
/// (then the runtime must mount with `userxattr`): see `xattr_namespace()`.
/// Thread-safe: unpacks of different (or the same) layers may run in parallel; the loser
/// of a race discards its copy.

#include "engine/base/digest.h"
#include "engine/base/result.h"
#include "engine/image/layer_unpack.h"

#include <optional>
#include <string>
#include <vector>

namespace wharf::engine {

struct LayerInfo {
    Digest diff_id;
    uint64_t size = 0;     ///< content bytes (Docker's layer size)
    uint64_t tar_size = 0; ///< uncompressed tar bytes
    std::string dir;       ///< absolute path of the unpacked tree (an overlayfs lowerdir)
};

class LayerStore {
public:
    static Result<LayerStore> open(const std::string& root);

    bool has(const Digest& diff_id) const;
    /// Absolute path of the unpacked tree (whether or not it exists).
    std::string diff_dir(const Digest& diff_id) const;
    /// NotFound: `layer sha256:… is not unpacked`.
    Result<LayerInfo> info(const Digest& diff_id) const;
    /// Unpacks a (compressed) layer stream. When `expected` is given and already present,
    /// the stream is not read at all. Fails on a DiffID mismatch:
    /// `layer DiffID mismatch: expected sha256:…, got sha256:…` (nothing is kept).
    Result<LayerInfo> unpack(const LayerReadFn& read, const std::optional<Digest>& expected,
                             const std::function<void(uint64_t)>& progress = {});
    /// Unpacks from a file (a stored blob, any compression).
    Result<LayerInfo> unpack_file(const std::string& path, const std::optional<Digest>& expected);
    Result<void> remove(const Digest& diff_id);
    std::vector<Digest> list() const;
    OverlayXattr xattr_namespace() const { return m_xattr; }

private:
    LayerStore(std::string root, OverlayXattr x) : m_root(std::move(root)), m_xattr(x) {}
    std::string m_root; // <image root>/layers
    OverlayXattr m_xattr;
};

} // namespace wharf::engine
