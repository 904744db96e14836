#pragma once
/// StoreBackend: the real BuildBackend (backend.h) over one state root — images and layers
/// from the ImageStore, RUN steps as containers of the runtime (step_container.h).
///
///   resolve_image  ImageStore::resolve; a missing image is pulled with `pull` when one is
///                  installed, else "No such image: <ref>"; `--pull` with no puller warns
///                  once (through `warn`) and uses the local image
///   add_layer      ImageStore::add_layer_file (the tar is copied in as an OCI layer blob)
///   find_layer     the cached layer when its blob and unpacked tree are still stored
///   commit         ImageStore::commit of the config (parsed back into an ImageDocument, so
///                  the stored config is canonical JSON) with the layers' blobs; tags it.
///                  Nothing is written when that image exists with those layers and tags
///                  (an unchanged rebuild: no fsyncs on the fast path)
///   run            run_step_container
///   scratch_dir    <root>/build/tmp (same filesystem as the containers' dirs: the RUN
///                  container's upper dir is renamed into a step dir there)
///
/// Every layer the build adds or reuses is kept in a lease for the backend's lifetime, so a
/// concurrent `image prune` cannot delete a layer between its step and the final commit.
/// Not thread-safe; one build at a time per backend.

#include "engine/build/backend.h"
#include "engine/image/image_store.h"

#include <functional>
#include <optional>

namespace wharf::engine::build {

struct StoreBackendOptions {
    std::string wharf_binary; ///< the monitor binary for RUN containers; "" = this executable
    /// Fetches `ref` into the store and returns it (the registry client); unset: no pulls
    /// (build_image() installs engine/registry's pull_image()).
    std::function<Result<Image>(ImageStore&, const std::string& ref)> pull;
    /// Receives warnings ("--pull: no registry client, using the local image").
    std::function<void(const std::string&)> warn;
};

class StoreBackend : public BuildBackend {
public:
    /// `store` must outlive the backend. The state root is the store's parent directory.
    static Result<StoreBackend> create(ImageStore& store, StoreBackendOptions options = {});

    Result<BaseImage> resolve_image(const std::string& ref, bool pull) override;
    Result<LayerRef> add_layer(const std::string& tar_path) override;
    Result<std::optional<LayerRef>> find_layer(const LayerRef& cached) override;
    Result<std::string> commit(const std::string& config_json, const std::vector<LayerRef>& layers,
        const std::vector<std::string>& tags) override;
    Result<int> run(const RunSpec& spec) override;
    std::string scratch_dir() override;
    std::string xattr_prefix() const override;

    const std::string& state_root() const { return m_state_root; }

private:
    StoreBackend(ImageStore& store, StoreBackendOptions options, std::string state_root, Lease lease)
        : m_store(&store)
        , m_options(std::move(options))
        , m_state_root(std::move(state_root))
        , m_lease(std::move(lease))
    {
    }
    Result<Image> local_or_pulled(const std::string& ref, bool pull);
    std::optional<Digest> already_committed(ImageDocument doc, const std::vector<NewLayer>& layers,
        const std::vector<ImageReference>& tags) const;

    ImageStore* m_store;
    StoreBackendOptions m_options;
    std::string m_state_root;
    Lease m_lease;
    bool m_warned_pull = false;
};

/// The layer descriptor kept in LayerRef::blob (and so in the build cache), as JSON text.
std::string encode_layer_blob(const Descriptor& blob);
Result<Descriptor> decode_layer_blob(const std::string& text);

} // namespace wharf::engine::build
