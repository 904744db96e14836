#pragma once
/// BuildBackend: everything the builder needs from the rest of the engine, behind one
/// interface so the builder stays testable with a fake (tests/engine/build/fake_backend.h)
/// and the image store and runtime are used through their public APIs only
/// (engine/build/store_backend.cpp is the real one).
///
/// Images cross this boundary as OCI config JSON (the exact config blob), layers as DiffIDs
/// plus their unpacked directory (overlayfs form, bottom -> top) and an opaque `blob` text
/// the backend needs to commit an image that reuses the layer (kept in the build cache).

#include "engine/base/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine::build {

struct LayerRef {
    std::string diff_id; ///< "sha256:…"
    std::string dir; ///< unpacked tree
    std::string blob; ///< backend-specific descriptor (JSON text)
};

struct BaseImage {
    std::string id; ///< "sha256:…" (config digest)
    std::string config_json; ///< the config blob
    std::vector<LayerRef> layers; ///< bottom -> top
};

/// One RUN step: a process in a container whose rootfs is an overlay of `lower_dirs`
/// (bottom -> top) with `upper_dir` (empty, fresh) on top; the changes end up in upper_dir.
struct RunSpec {
    std::vector<std::string> lower_dirs;
    std::string upper_dir;
    std::string work_dir; ///< overlay workdir, same filesystem as upper_dir
    std::vector<std::string> argv;
    std::vector<std::string> env; ///< KEY=VALUE
    std::string user; ///< "" = root
    std::string cwd = "/";
    std::string network; ///< "none" or "host"
    std::string hostname = "buildkitsandbox";
    /// Receives the process' stdout and stderr as they arrive.
    std::function<void(std::string_view)> output;
};

class BuildBackend {
public:
    virtual ~BuildBackend() = default;
    /// An image from the store (`pull` = refresh it from its registry first). NotFound:
    /// "No such image: <ref>" (pulling, when the backend can, is the backend's business).
    virtual Result<BaseImage> resolve_image(const std::string& ref, bool pull) = 0;
    /// Stores a layer tarball; returns its DiffID, directory and blob descriptor.
    virtual Result<LayerRef> add_layer(const std::string& tar_path) = 0;
    /// A layer already in the store (cache hit); nullopt when it was removed since.
    virtual Result<std::optional<LayerRef>> find_layer(const LayerRef& cached) = 0;
    /// Writes the image (config blob + manifest) and tags it; returns the image ID.
    virtual Result<std::string> commit(const std::string& config_json, const std::vector<LayerRef>& layers,
        const std::vector<std::string>& tags)
        = 0;
    /// Runs one RUN step; returns its exit code (Docker's: 128+signal when killed).
    virtual Result<int> run(const RunSpec& spec) = 0;
    /// A directory on the store's filesystem for temporary trees (layers, uppers).
    virtual std::string scratch_dir() = 0;
    /// The overlay xattr namespace of the layers ("trusted." as root, else "user.").
    virtual std::string xattr_prefix() const { return "trusted."; }
};

} // namespace wharf::engine::build
