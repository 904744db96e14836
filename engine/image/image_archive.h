#pragma once
/// Moving images in and out as files (engine-reference §3.3, §3.4):
///   load_archive()  `docker save` tarballs of both generations (legacy layer.tar dirs and the
///                   modern OCI-layout-plus-manifest.json), and plain OCI layout tarballs;
///                   any compression (gzip, zstd, xz, bzip2). One streaming pass: every
///                   member is ingested and verified; paths named by manifest.json are looked
///                   up among the archive's members (symlinks resolved inside it), never on disk.
///   save_archive()  Docker's modern format: an OCI layout (oci-layout, index.json,
///                   blobs/sha256/…) plus manifest.json, with the stored blobs byte for byte, so
///                   a save→load round trip keeps manifest and config digests.
///   import_rootfs() `docker import`: one rootfs tarball becomes a one-layer image, with
///                   Dockerfile-style `--change` lines applied to its config.
/// Errors name the archive and the member or digest at fault.

#include "engine/image/image_store.h"

#include <functional>
#include <string>
#include <vector>

namespace wharf::engine {

struct LoadedImage {
    Digest id;
    std::vector<std::string> tags; ///< full references applied
};

/// `path` "-" reads standard input.
Result<std::vector<LoadedImage>> load_archive(ImageStore& store, const std::string& path);

/// `out_path` "-" writes standard output. `refs` are references or IDs.
Result<void> save_archive(ImageStore& store, const std::vector<std::string>& refs, const std::string& out_path);

struct ImportOptions {
    std::vector<std::string> changes; ///< "CMD [\"httpd\"]", "EXPOSE 80", "ENV A=b" …
    std::string message;              ///< history comment (default "Imported from <source>")
    std::string platform;             ///< "linux/amd64"; default the host's
};

/// `source` is a file path or "-" (standard input).
Result<Image> import_rootfs(ImageStore& store, const std::string& source, const std::optional<ImageReference>& tag,
                            const ImportOptions& opts);

} // namespace wharf::engine
