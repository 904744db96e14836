#pragma once
/// Image: what the rest of wharf (runtime, compose, CLI) sees of a stored image.
///
/// `id` is the config digest (Docker's image ID); `repo_tags` are full normalised
/// references ("localhost/busybox:latest"); `layer_dirs()` lists the absolute paths of the
/// unpacked layer trees bottom -> top, ready to be overlayfs lowerdirs (reverse them for the
/// `lowerdir=` option, whose leftmost entry is the top). Whiteouts in those trees are 0:0
/// char devices and `trusted.overlay.opaque` xattrs (`user.overlay.*` when `user_xattr`,
/// i.e. the store was written by a non-root user: mount with `userxattr`). Values only.

#include "engine/api/image_config.h"
#include "engine/base/digest.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wharf::engine {

struct ImageLayer {
    Digest diff_id;          ///< sha256 of the uncompressed tar
    Digest blob_digest;      ///< the stored blob as the manifest names it
    std::string media_type;  ///< the blob's media type
    int64_t blob_size = 0;
    uint64_t size = 0;       ///< unpacked content bytes
    std::string dir;         ///< absolute path of the unpacked tree
};

struct Image {
    Digest id;
    std::vector<std::string> repo_tags;    ///< "docker.io/library/nginx:latest", sorted
    std::vector<std::string> repo_digests; ///< "docker.io/library/nginx@sha256:…"
    ImageConfig config;                    ///< same as document.config
    ImageDocument document;                ///< the whole config blob
    Digest manifest_digest;
    std::string manifest_media_type;
    std::vector<ImageLayer> layers;        ///< base first
    uint64_t size = 0;                     ///< sum of layer sizes
    int64_t loaded_at = 0;                 ///< unix seconds when stored here
    bool user_xattr = false;

    std::vector<std::string> layer_dirs() const
    {
        std::vector<std::string> dirs;
        for (const auto& l : layers)
            dirs.push_back(l.dir);
        return dirs;
    }
};

} // namespace wharf::engine
