#pragma once
/// pull_image(): an image from a registry into the image store (engine-reference §2.1).
///
///   auto store = TRY(ImageStore::open(root));
///   auto ref = TRY(ImageReference::parse("127.0.0.1:5000/app:1"));
///   PullOptions opts;                       // credentials from ~/.docker/config.json
///   opts.progress = [](const PullEvent& e) { … };
///   PullResult r = TRY(pull_image(store, ref, opts));
///   r.image.layer_dirs() …                  // ready for the runtime
///
/// Resolves the reference to a manifest (an index or manifest list is narrowed to
/// `platform`, default the host's), fetches the config, then downloads the missing layers in
/// parallel, each streamed at once into the content store's ingest (size and digest
/// verified when the last byte arrives) *and* into the layer unpacker (DiffID verified),
/// so a layer is on disk unpacked when its download ends. Layers already unpacked are not
/// fetched again ("Already exists"). Finally registers the image (ImageStore::
/// register_manifest) under the reference's tag with a repo digest `<name>@<digest>`, the
/// digest the reference resolved to (the index's for a multi-platform image, as Docker).
///
/// All or nothing: on any failure no image record or tag is written, and blobs and layers
/// this pull added are removed again (the store's gc, which spares other pulls' leases).
/// Errors read `pull 127.0.0.1:5000/app:1: …` with the registry's answer.
/// Blocking; runs its own worker threads; the store may be used by other threads meanwhile.

#include "engine/api/image.h"
#include "engine/api/image_reference.h"
#include "engine/image/image_store.h"
#include "engine/image/manifest.h"
#include "engine/registry/credentials.h"

#include <functional>
#include <optional>
#include <string>

namespace wharf::engine::registry {

/// What the progress callback hears. Layer events carry the layer's short ID (12 hex
/// of its blob digest), as `docker pull` prints them.
struct PullEvent {
    enum class Kind {
        Resolved,        ///< manifest chosen: `digest` is what the reference resolved to
        LayerWaiting,    ///< queued ("Pulling fs layer")
        LayerExists,     ///< already in the store ("Already exists")
        LayerDownloading,///< `current`/`total` compressed bytes
        LayerVerifying,  ///< all bytes in; checking ("Verifying Checksum")
        LayerDownloaded, ///< verified ("Download complete")
        LayerExtracting, ///< unpacking from a stored blob
        LayerComplete,   ///< unpacked ("Pull complete")
    };
    Kind kind;
    std::string layer;
    uint64_t current = 0;
    uint64_t total = 0;
    Digest digest;
};

struct PullOptions {
    /// Which manifest of an index; default: the host's platform (linux/amd64 here).
    std::optional<Platform> platform;
    /// Credentials for the registry; when unset and `use_docker_config`, looked up in
    /// docker_config_path_from_env().
    std::optional<Credentials> credentials;
    bool use_docker_config = true;
    /// Plain HTTP / unverified TLS for a non-loopback registry.
    bool insecure = false;
    int max_concurrent_downloads = 6; ///< as podman; Docker uses 3
    int retries = 3;
    /// Called from the pull's threads, one call at a time (serialised); may be empty.
    std::function<void(const PullEvent&)> progress;
};

struct PullResult {
    Image image;
    /// The digest the reference resolved to (the index's, for a multi-platform image): the
    /// `Digest:` line of `docker pull`.
    Digest digest;
    /// False when the image was already stored under this reference ("Image is up to date").
    bool downloaded = true;
};

Result<PullResult> pull_image(ImageStore& store, const ImageReference& ref, const PullOptions& opts);

/// Credentials for `registry_domain` ("docker.io", "127.0.0.1:5000") from the Docker config
/// file named by the environment, or the credential helper it names; nullopt when none.
/// A corrupt file or a failing helper is an error.
Result<std::optional<Credentials>> credentials_from_docker_config(const std::string& registry_domain);

} // namespace wharf::engine::registry
