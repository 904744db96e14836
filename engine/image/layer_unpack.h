#pragma once
/// Unpacks one layer tarball (plain, gzip, zstd, xz, bzip2 — detected by libarchive) into
/// a fresh directory in overlayfs form (engine-reference §4.3):
///   `<dir>/.wh.<x>`      -> character device 0:0 at `<dir>/<x>`
///   `<dir>/.wh..wh..opq` -> xattr `<ns>.overlay.opaque = "y"` on `<dir>`
///   `.wh..wh.*` (AUFS metadata) skipped; `.wh.` alone is an error.
/// While unpacking it hashes the *uncompressed* stream, giving the layer's DiffID.
///
/// Safety (§4.4): paths are cleaned and must stay inside `dest` ("breakout" error); no entry
/// is written through a symlink an earlier entry created (the destination starts empty, so
/// tracking this layer's symlinks is complete); hardlinks must point at an existing
/// non-directory inside the layer; overlay and SELinux xattrs from the tar are dropped;
/// device nodes are created only by root (skipped otherwise); ownership only as root.
///
/// On error the caller removes `dest` (it may hold a partial tree).

#include "engine/base/digest.h"
#include "engine/base/result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <sys/types.h>

namespace wharf::engine {

/// Fills `buf` with up to `cap` bytes of the (compressed) stream; 0 = end; -1 = error
/// (the source remembers its own error; unpack reports "read error" and the caller can
/// substitute the source's error).
using LayerReadFn = std::function<ssize_t(void* buf, size_t cap)>;

enum class OverlayXattr { Trusted, User };

struct UnpackOptions {
    OverlayXattr xattr_ns = OverlayXattr::Trusted;
    /// Called with the uncompressed bytes read so far, for progress display (may be empty).
    std::function<void(uint64_t)> progress;
};

struct UnpackResult {
    Digest diff_id;          ///< sha256 of the uncompressed tar
    uint64_t tar_size = 0;   ///< bytes of the uncompressed tar
    uint64_t content_size = 0; ///< sum of regular file sizes (Docker's layer size)
};

Result<UnpackResult> unpack_layer(const LayerReadFn& read, const std::string& dest, const UnpackOptions& opts);

/// Lexically cleans a tar member name ("./a//b/../c" -> "a/c"); fails when it leaves the root.
/// Empty result = the root itself.
Result<std::string> clean_member_path(std::string_view name);

} // namespace wharf::engine
