// The real build backend over the image store and the container runtime (see store_backend.h).
#include "engine/build/store_backend.h"

#include "engine/build/step_container.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace wharf::engine::build {

std::string encode_layer_blob(const Descriptor& blob)
{
    return nlohmann::json {{"mediaType", blob.media_type}, {"digest", blob.digest.str()}, {"size", blob.size}}
        .dump();
}

Result<Descriptor> decode_layer_blob(const std::string& text)
{
    try {
        auto j = nlohmann::json::parse(text);
        Descriptor d;
        d.media_type = j.at("mediaType").get<std::string>();
        d.digest = TRY(Digest::parse(j.at("digest").get<std::string>()));
        d.size = j.at("size").get<int64_t>();
        return d;
    } catch (const nlohmann::json::exception& e) {
        return Error(Errc::Invalid, std::string("invalid layer descriptor in the build cache: ") + e.what());
    }
}

Result<StoreBackend> StoreBackend::create(ImageStore& store, StoreBackendOptions options)
{
    std::string root = store.root();
    auto slash = root.rfind('/');
    std::string state_root = slash == std::string::npos ? "." : slash == 0 ? "/" : root.substr(0, slash);
    auto lease = TRY(store.lease());
    return StoreBackend(store, std::move(options), std::move(state_root), std::move(lease));
}

Result<Image> StoreBackend::local_or_pulled(const std::string& ref, bool pull)
{
    if (pull && m_options.pull)
        return m_options.pull(*m_store, ref);
    auto local = m_store->resolve(ref);
    if (local) {
        if (pull && !m_warned_pull && m_options.warn) {
            m_warned_pull = true;
            m_options.warn("--pull: no registry client in this build of wharf, using the local image " + ref);
        }
        return local;
    }
    if (local.error().code() == Errc::NotFound && m_options.pull)
        return m_options.pull(*m_store, ref);
    return local;
}

Result<BaseImage> StoreBackend::resolve_image(const std::string& ref, bool pull)
{
    Image img = TRY(local_or_pulled(ref, pull));
    BaseImage base;
    base.id = img.id.str();
    base.config_json = TRY_CTX(m_store->content().read(img.id), "config of image " + ref);
    for (const auto& l : img.layers) {
        m_lease.add(l.blob_digest);
        m_lease.add(l.diff_id);
        Descriptor d;
        d.media_type = l.media_type;
        d.digest = l.blob_digest;
        d.size = l.blob_size;
        base.layers.push_back(LayerRef {l.diff_id.str(), l.dir, encode_layer_blob(d)});
    }
    return base;
}

Result<LayerRef> StoreBackend::add_layer(const std::string& tar_path)
{
    NewLayer nl = TRY(m_store->add_layer_file(tar_path));
    // add_layer_file's own lease ends with the call; ours lasts until the final commit.
    m_lease.add(nl.blob.digest);
    m_lease.add(nl.diff_id);
    return LayerRef {nl.diff_id.str(), m_store->layers().diff_dir(nl.diff_id), encode_layer_blob(nl.blob)};
}

Result<std::optional<LayerRef>> StoreBackend::find_layer(const LayerRef& cached)
{
    auto blob = decode_layer_blob(cached.blob);
    auto diff_id = Digest::parse(cached.diff_id);
    if (!blob || !diff_id)
        return std::optional<LayerRef>(); // an unreadable record is a miss, not an error
    // Lease first, then look: a gc running in between cannot take what we then find.
    m_lease.add(blob->digest);
    m_lease.add(*diff_id);
    if (!m_store->content().has(blob->digest) || !m_store->layers().has(*diff_id))
        return std::optional<LayerRef>();
    return std::optional<LayerRef>(
        LayerRef {cached.diff_id, m_store->layers().diff_dir(*diff_id), cached.blob});
}

std::optional<Digest> StoreBackend::already_committed(
    ImageDocument doc, const std::vector<NewLayer>& layers, const std::vector<ImageReference>& tags) const
{
    // The ID ImageStore::commit would give this document (it sets diff_ids from the layers).
    doc.diff_ids.clear();
    for (const auto& l : layers)
        doc.diff_ids.push_back(l.diff_id);
    Digest id = sha256(serialize(doc));
    auto existing = m_store->get(id);
    if (!existing || existing->layers.size() != layers.size())
        return std::nullopt;
    for (size_t i = 0; i < layers.size(); ++i)
        if (existing->layers[i].blob_digest != layers[i].blob.digest)
            return std::nullopt;
    for (const auto& t : tags)
        if (std::find(existing->repo_tags.begin(), existing->repo_tags.end(), t.str())
            == existing->repo_tags.end())
            return std::nullopt;
    return id;
}

Result<std::string> StoreBackend::commit(
    const std::string& config_json, const std::vector<LayerRef>& layers, const std::vector<std::string>& tags)
{
    ImageDocument doc = TRY_CTX(parse_image_document(config_json), "image config of the build");
    std::vector<NewLayer> new_layers;
    for (const auto& l : layers) {
        NewLayer nl;
        nl.blob = TRY(decode_layer_blob(l.blob));
        nl.diff_id = TRY(Digest::parse(l.diff_id));
        new_layers.push_back(std::move(nl));
    }
    std::vector<ImageReference> refs;
    for (const auto& t : tags)
        refs.push_back(TRY(ImageReference::parse(t)));
    if (auto id = already_committed(doc, new_layers, refs))
        return id->str();
    Image img = TRY(m_store->commit(doc, new_layers, refs));
    return img.id.str();
}

Result<int> StoreBackend::run(const RunSpec& spec)
{
    return run_step_container(spec, StepContainerOptions {m_state_root, m_options.wharf_binary});
}

std::string StoreBackend::scratch_dir()
{
    return m_state_root + "/build/tmp";
}

std::string StoreBackend::xattr_prefix() const
{
    return m_store->layers().xattr_namespace() == OverlayXattr::User ? "user." : "trusted.";
}

} // namespace wharf::engine::build
