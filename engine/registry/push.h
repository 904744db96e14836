#pragma once
/// push_image(): a stored image to a registry (engine-reference §2.2).
///
///   PushResult r = TRY(push_image(store, TRY(ImageReference::parse("127.0.0.1:5000/app:1")), {}));
///   // r.digest: the manifest digest, identical to the stored one (its exact bytes are sent)
///
/// The image is looked up by the reference (tag it first). Blobs go first, config and layers
/// in parallel: a HEAD finds those the registry has ("Layer already exists"); a layer the
/// image was pulled from or pushed to another repository of the same registry is
/// cross-mounted (`?mount=&from=`, "Mounted from …"); the rest is uploaded (one PUT, or
/// PATCH chunks when `chunk_size` is set). The manifest is PUT last, byte for byte as
/// stored, so its digest is reproduced; afterwards the image gets the repo digest
/// `<name>@<digest>`. Errors name the blob or manifest and the registry's answer.

#include "engine/api/image_reference.h"
#include "engine/image/image_store.h"
#include "engine/registry/credentials.h"

#include <functional>
#include <optional>
#include <string>

namespace wharf::engine::registry {

/// Layer IDs are 12 hex of the layer's DiffID, as `docker push` prints them; the config
/// blob is reported too, under its own short digest.
struct PushEvent {
    enum class Kind {
        Preparing,   ///< "Preparing"
        Pushing,     ///< `current`/`total` bytes sent
        Pushed,      ///< "Pushed"
        Exists,      ///< "Layer already exists"
        Mounted,     ///< "Mounted from <from>"
    };
    Kind kind;
    std::string layer;
    uint64_t current = 0;
    uint64_t total = 0;
    std::string from;
    bool is_config = false;
};

struct PushOptions {
    std::optional<Credentials> credentials; ///< unset + use_docker_config: from the config file
    bool use_docker_config = true;
    bool insecure = false;
    int max_concurrent_uploads = 5; ///< Docker's default
    uint64_t chunk_size = 0;        ///< 0: monolithic uploads; else PATCH chunks of this size
    bool cross_mount = true;
    int retries = 3;
    std::function<void(const PushEvent&)> progress; ///< serialised; may be empty
};

struct PushResult {
    Digest digest;      ///< of the manifest
    int64_t size = 0;   ///< manifest bytes
    std::string tag;
};

Result<PushResult> push_image(ImageStore& store, const ImageReference& ref, const PushOptions& opts);

} // namespace wharf::engine::registry
