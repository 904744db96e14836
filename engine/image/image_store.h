#pragma once
/// ImageStore: the images of one state root — records, tags, holds, and the content and
/// layer stores below them. Layout under `<state root>/image/`:
///   blobs/sha256/<hex>   original bytes (manifests, configs, layer blobs)   ContentStore
///   layers/<hex>/diff    unpacked layers keyed by DiffID                    LayerStore
///   images/<id hex>.json image records {manifest digest & type, repo digests, loaded_at}
///   tags.json            {"localhost/busybox:latest": "sha256:<id>"}
///   holds/<id hex>/<who> the image is in use by <who> (a container): removal is refused
///   leases/<pid>-<n>     content being added right now; gc() keeps it
///   lock                 serialises writers of records, tags and gc
///
/// Contract for the runtime (container create/rm):
///   auto store = TRY(ImageStore::open(root));
///   Image img = TRY(store.resolve("localhost/busybox"));  // ref, full ID, or ID prefix
///   img.layer_dirs(), img.config.cmd, …
///   TRY(store.add_hold(img.id, container_id));     // before using the layers
///   TRY(store.release_hold(img.id, container_id)); // when the container is removed
/// A held image is never deleted (rmi -f only untags it) and neither are its layers.
///
/// Contract for the builder: unpack a new layer from a tar file with add_layer_file()
/// (the file is copied into the store as the layer blob, any compression), then commit()
/// an ImageDocument (history entries, config, diff_ids) with the parent's layers plus the new
/// ones; commit() writes config + OCI manifest blobs, the record and the tags.
///
/// Errors name the reference/digest: `No such image: localhost/nope:latest` (Errc::NotFound).
/// Thread-safe and multi-process-safe: every mutation takes the lock file.

#include "engine/api/image.h"
#include "engine/api/image_reference.h"
#include "engine/image/content_store.h"
#include "engine/image/layer_store.h"
#include "engine/image/manifest.h"
#include "engine/sys/file.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wharf::engine {

/// A layer ready to be part of a new image: its stored blob and its DiffID.
struct NewLayer {
    Descriptor blob;
    Digest diff_id;
};

/// Content a process is adding; gc() keeps everything listed in a live lease. Released
/// (file removed) on destruction.
class Lease {
public:
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease();
    void add(const Digest& d);

private:
    friend class ImageStore;
    explicit Lease(std::string path) : m_path(std::move(path)) {}
    std::string m_path;
};

struct RemoveOptions {
    bool force = false;    ///< untag even if referenced in several repositories / held
    bool no_prune = false; ///< keep untagged parents (accepted for Docker compatibility)
};

struct GcStats {
    uint64_t reclaimed = 0;
    std::vector<Digest> layers_removed;
};

class ImageStore {
public:
    static Result<ImageStore> open(const std::string& state_root);

    /// A reference ("localhost/busybox", "x@sha256:…"), a full ID or a unique ID prefix.
    Result<Image> resolve(const std::string& ref_or_id) const;
    Result<Image> get(const Digest& id) const;
    /// Every image, newest first.
    Result<std::vector<Image>> list() const;

    Result<void> tag(const Digest& id, const ImageReference& ref);
    /// Removes one tag; NotFound when absent.
    Result<void> untag(const ImageReference& ref);

    /// Copies a layer tarball (any compression) into the store and unpacks it.
    Result<NewLayer> add_layer_file(const std::string& path);
    /// Makes a new image from a document whose diff_ids match `layers`; tags it.
    Result<Image> commit(const ImageDocument& doc, const std::vector<NewLayer>& layers,
                         const std::vector<ImageReference>& tags);
    /// Registers an image whose manifest (exact bytes) and blobs are already stored; unpacks
    /// layers that are not yet unpacked; verifies DiffIDs. `repo_name` (e.g.
    /// "127.0.0.1:5000/app") adds a repo digest `<repo_name>@<repo_digest>`; `repo_digest`
    /// defaults to the manifest's (a pull through an image index passes the index's digest,
    /// as Docker records it).
    Result<Image> register_manifest(const Digest& manifest_digest, const std::string& content_type,
                                     const std::vector<ImageReference>& tags, const std::string& repo_name = {},
                                     const std::optional<Digest>& repo_digest = std::nullopt);

    /// Docker's `rmi`: untags or deletes; returns Docker's lines ("Untagged: …", "Deleted: …").
    Result<std::vector<std::string>> remove(const std::string& ref_or_id, const RemoveOptions& opts);
    /// Deletes dangling images (all unused with `all`), then gc(). Returns removed lines.
    Result<std::vector<std::string>> prune(bool all, uint64_t* reclaimed);
    /// Deletes blobs and layers no image record (or live lease) references.
    Result<GcStats> gc();

    /// `Relaxed` skips the fsyncs, for holders that do not outlive a host crash (`--rm`).
    Result<void> add_hold(const Digest& id, const std::string& holder,
                          sys::Durability durability = sys::Durability::Fsync);
    Result<void> release_hold(const Digest& id, const std::string& holder);
    std::vector<std::string> holders(const Digest& id) const;

    Result<Lease> lease();
    ContentStore& content() { return m_content; }
    const ContentStore& content() const { return m_content; }
    LayerStore& layers() { return m_layers; }
    const std::string& root() const { return m_root; }
    Result<sys::FileLock> lock() const;
    /// Appends Docker's image event (tag, untag, delete, pull, push, load, save, import) to
    /// the state root's journal; best effort.
    void journal(const std::string& action, const std::string& id, const std::string& name) const;

private:
    ImageStore(std::string root, ContentStore c, LayerStore l)
        : m_root(std::move(root)), m_content(std::move(c)), m_layers(std::move(l)) {}
    Result<std::map<std::string, std::string>> read_tags() const;
    Result<void> write_tags(const std::map<std::string, std::string>& tags);
    Result<void> delete_record(const Digest& id);
    std::vector<Digest> record_ids() const;

    std::string m_root;
    ContentStore m_content;
    LayerStore m_layers;
};

enum class MediaFamily { Oci, Docker };
/// The layer media type for a blob file, by its magic bytes (gzip, zstd, else plain tar).
std::string sniff_layer_media_type(const std::string& path, MediaFamily family);

/// Docker's human size: "4.2MB", "1.05GB", "512B" (decimal units, 3 significant digits).
std::string human_size(uint64_t bytes);

} // namespace wharf::engine
