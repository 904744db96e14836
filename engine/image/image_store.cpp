#include "engine/image/image_store.h"

#include "engine/events/event_journal.h"
#include "engine/image/image_holds.h"

#include "engine/sys/file.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <set>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wharf::engine {

using nlohmann::json;

namespace {

Error no_such_image(const std::string& what) { return Error(Errc::NotFound, "No such image: " + what); }

} // namespace

std::string sniff_layer_media_type(const std::string& path, MediaFamily family)
{
    unsigned char m[4] = {};
    if (FILE* f = std::fopen(path.c_str(), "rb")) {
        (void)!std::fread(m, 1, sizeof m, f);
        std::fclose(f);
    }
    bool oci = family == MediaFamily::Oci;
    if (m[0] == 0x1f && m[1] == 0x8b)
        return oci ? media::kOciLayerGzip : media::kDockerLayerGzip;
    if (m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
        return oci ? media::kOciLayerZstd : "application/vnd.docker.image.rootfs.diff.tar.zstd";
    return oci ? media::kOciLayer : media::kDockerLayer;
}

std::string human_size(uint64_t bytes)
{
    // Docker (go-units HumanSize): decimal units, 4 significant digits trimmed ("%.4g").
    static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1000.0 && u < 5) {
        v /= 1000.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g%s", v, units[u]);
    return buf;
}

Lease::~Lease()
{
    if (!m_path.empty())
        ::unlink(m_path.c_str());
}

void Lease::add(const Digest& d)
{
    int fd = ::open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    std::string line = d.str() + "\n";
    (void)!::write(fd, line.data(), line.size());
    ::close(fd);
}

Result<ImageStore> ImageStore::open(const std::string& state_root)
{
    std::string root = state_root + "/image";
    TRY(sys::make_dirs(root + "/images"));
    TRY(sys::make_dirs(root + "/holds"));
    TRY(sys::make_dirs(root + "/leases"));
    auto content = TRY(ContentStore::open(root));
    auto layers = TRY(LayerStore::open(root));
    return ImageStore(root, std::move(content), std::move(layers));
}

Result<sys::FileLock> ImageStore::lock() const { return sys::FileLock::acquire(m_root + "/lock"); }

Result<Lease> ImageStore::lease()
{
    static std::atomic<uint64_t> counter{0};
    std::string path = m_root + "/leases/" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    TRY(sys::write_file_atomic(path, ""));
    return Lease(path);
}

Result<std::map<std::string, std::string>> ImageStore::read_tags() const
{
    std::map<std::string, std::string> tags;
    std::string path = m_root + "/tags.json";
    if (!sys::exists(path))
        return tags;
    auto text = TRY(sys::read_file(path));
    try {
        auto j = json::parse(text);
        for (auto& [k, v] : j.items())
            tags[k] = v.get<std::string>();
    } catch (const json::exception& e) {
        return Error(Errc::Internal, "corrupt " + path + ": " + e.what());
    }
    return tags;
}

Result<void> ImageStore::write_tags(const std::map<std::string, std::string>& tags)
{
    json j = json::object();
    for (auto& [k, v] : tags)
        j[k] = v;
    return sys::write_file_atomic(m_root + "/tags.json", j.dump(2) + "\n");
}

std::vector<Digest> ImageStore::record_ids() const
{
    std::vector<Digest> ids;
    for (auto& name : sys::list_dir(m_root + "/images"))
        if (name.size() == 69 && name.ends_with(".json"))
            if (auto d = Digest::parse("sha256:" + name.substr(0, 64)))
                ids.push_back(*d);
    return ids;
}

Result<Image> ImageStore::get(const Digest& id) const
{
    std::string path = m_root + "/images/" + id.hex() + ".json";
    if (!sys::exists(path))
        return no_such_image(id.str());
    auto text = TRY(sys::read_file(path));
    Image img;
    img.id = id;
    try {
        auto j = json::parse(text);
        img.manifest_digest = TRY(Digest::parse(j.at("manifest_digest").get<std::string>()));
        img.manifest_media_type = j.value("manifest_media_type", std::string(media::kOciManifest));
        img.repo_digests = j.value("repo_digests", std::vector<std::string>{});
        img.loaded_at = j.value("loaded_at", int64_t{0});
    } catch (const json::exception& e) {
        return Error(Errc::Internal, "corrupt image record " + path + ": " + e.what());
    }
    auto config_bytes = TRY_CTX(m_content.read(id), "image " + id.str());
    img.document = TRY_CTX(parse_image_document(config_bytes), "image " + id.str());
    img.config = img.document.config;
    auto manifest_bytes = TRY_CTX(m_content.read(img.manifest_digest), "image " + id.str());
    auto manifest = TRY_CTX(parse_manifest(manifest_bytes, img.manifest_media_type), "image " + id.str());
    if (manifest.layers.size() != img.document.diff_ids.size())
        return Error(Errc::Internal, "image " + id.str() + ": manifest has " + std::to_string(manifest.layers.size()) +
                                         " layers but the config " + std::to_string(img.document.diff_ids.size()));
    img.user_xattr = m_layers.xattr_namespace() == OverlayXattr::User;
    for (size_t i = 0; i < manifest.layers.size(); ++i) {
        ImageLayer l;
        l.diff_id = img.document.diff_ids[i];
        l.blob_digest = manifest.layers[i].digest;
        l.media_type = manifest.layers[i].media_type;
        l.blob_size = manifest.layers[i].size;
        auto info = TRY_CTX(m_layers.info(l.diff_id), "image " + id.str());
        l.size = info.size;
        l.dir = info.dir;
        img.size += l.size;
        img.layers.push_back(std::move(l));
    }
    auto tags = TRY(read_tags());
    for (auto& [name, tid] : tags)
        if (tid == id.str())
            img.repo_tags.push_back(name);
    return img;
}

Result<std::vector<Image>> ImageStore::list() const
{
    std::vector<Image> out;
    for (auto& id : record_ids()) {
        auto img = get(id);
        if (!img) {
            if (img.error().code() == Errc::NotFound)
                continue; // removed meanwhile
            return std::move(img).error();
        }
        out.push_back(std::move(*img));
    }
    std::sort(out.begin(), out.end(), [](const Image& a, const Image& b) {
        auto ca = parse_rfc3339(a.document.created).value_or(0), cb = parse_rfc3339(b.document.created).value_or(0);
        if (ca != cb)
            return ca > cb;
        return a.id < b.id;
    });
    return out;
}

Result<Image> ImageStore::resolve(const std::string& ref_or_id) const
{
    if (is_image_id(ref_or_id)) {
        std::string hex = ref_or_id.starts_with("sha256:") ? ref_or_id.substr(7) : ref_or_id;
        auto r = get(Digest::sha256_hex(hex));
        if (r || r.error().code() != Errc::NotFound)
            return r;
        return no_such_image(ref_or_id);
    }
    auto ref = ImageReference::parse(ref_or_id);
    if (ref) {
        if (ref->digest) {
            std::string want = ref->name() + "@" + ref->digest->str();
            for (auto& id : record_ids()) {
                auto img = get(id);
                if (!img)
                    continue;
                if (std::find(img->repo_digests.begin(), img->repo_digests.end(), want) != img->repo_digests.end())
                    return img;
            }
        } else {
            auto tags = TRY(read_tags());
            if (auto it = tags.find(ref->str()); it != tags.end())
                return get(TRY(Digest::parse(it->second)));
        }
    }
    if (is_id_prefix(ref_or_id)) {
        std::string prefix = ref_or_id.starts_with("sha256:") ? ref_or_id.substr(7) : ref_or_id;
        std::optional<Digest> found;
        for (auto& id : record_ids()) {
            if (id.hex().starts_with(prefix)) {
                if (found)
                    return Error(Errc::Invalid, "ambiguous image ID prefix \"" + ref_or_id + "\": matches " +
                                                    found->short_hex() + " and " + id.short_hex());
                found = id;
            }
        }
        if (found)
            return get(*found);
    }
    if (!ref)
        return std::move(ref).error();
    return no_such_image(ref->familiar());
}

Result<void> ImageStore::tag(const Digest& id, const ImageReference& ref)
{
    if (ref.digest)
        return Error(Errc::Invalid, "refusing to create a tag with a digest reference: " + ref.familiar());
    auto held = TRY(lock());
    if (!sys::exists(m_root + "/images/" + id.hex() + ".json"))
        return no_such_image(id.str());
    auto tags = TRY(read_tags());
    bool same = tags.count(ref.str()) && tags[ref.str()] == id.str();
    tags[ref.str()] = id.str();
    TRY(write_tags(tags));
    if (!same)
        journal("tag", id.str(), ref.familiar());
    return ok();
}

Result<void> ImageStore::untag(const ImageReference& ref)
{
    auto held = TRY(lock());
    auto tags = TRY(read_tags());
    auto it = tags.find(ref.str());
    if (it == tags.end())
        return no_such_image(ref.familiar());
    std::string id = it->second;
    tags.erase(it);
    TRY(write_tags(tags));
    journal("untag", id, ref.familiar());
    return ok();
}

void ImageStore::journal(const std::string& action, const std::string& id, const std::string& name) const
{
    Event e;
    e.type = "image";
    e.action = action;
    e.id = id;
    e.attributes = {{"name", name}};
    // The journal lives under the state root; this store under <state root>/image.
    record_event(m_root.substr(0, m_root.rfind('/')), std::move(e));
}

Result<NewLayer> ImageStore::add_layer_file(const std::string& path)
{
    auto lease_ = TRY(lease());
    NewLayer nl;
    nl.blob.media_type = sniff_layer_media_type(path, MediaFamily::Oci);
    nl.blob.digest = TRY(m_content.put_file(path, std::nullopt, path));
    lease_.add(nl.blob.digest);
    nl.blob.size = TRY(m_content.size(nl.blob.digest));
    auto info = TRY(m_layers.unpack_file(m_content.blob_path(nl.blob.digest), std::nullopt));
    nl.diff_id = info.diff_id;
    return nl;
}

Result<Image> ImageStore::commit(const ImageDocument& doc_in, const std::vector<NewLayer>& layers,
                                 const std::vector<ImageReference>& tags)
{
    ImageDocument doc = doc_in;
    doc.diff_ids.clear();
    for (auto& l : layers)
        doc.diff_ids.push_back(l.diff_id);
    std::string config = serialize(doc);
    auto lease_ = TRY(lease());
    Manifest m;
    m.media_type = media::kOciManifest;
    m.config.media_type = media::kOciConfig;
    lease_.add(sha256(config));
    m.config.digest = TRY(m_content.put(config));
    m.config.size = static_cast<int64_t>(config.size());
    for (auto& l : layers)
        m.layers.push_back(l.blob);
    std::string manifest = serialize(m);
    lease_.add(sha256(manifest));
    auto md = TRY(m_content.put(manifest));
    return register_manifest(md, media::kOciManifest, tags);
}

Result<Image> ImageStore::register_manifest(const Digest& manifest_digest, const std::string& content_type,
                                            const std::vector<ImageReference>& tags, const std::string& repo_name,
                                            const std::optional<Digest>& repo_digest)
{
    auto bytes = TRY(m_content.read(manifest_digest));
    auto manifest = TRY_CTX(parse_manifest(bytes, content_type), "manifest " + manifest_digest.str());
    auto config_bytes = TRY_CTX(m_content.read(manifest.config.digest), "config of manifest " + manifest_digest.str());
    auto doc = TRY_CTX(parse_image_document(config_bytes), "config " + manifest.config.digest.str());
    if (doc.diff_ids.size() != manifest.layers.size())
        return Error(Errc::Invalid, "manifest " + manifest_digest.str() + " lists " +
                                        std::to_string(manifest.layers.size()) + " layers but its config has " +
                                        std::to_string(doc.diff_ids.size()) + " diff_ids");
    for (size_t i = 0; i < manifest.layers.size(); ++i) {
        const auto& d = manifest.layers[i];
        if (!m_content.has(d.digest))
            return Error(Errc::NotFound, "layer blob " + d.digest.str() + " of manifest " + manifest_digest.str() +
                                             " is not in the content store");
        if (!m_layers.has(doc.diff_ids[i]))
            TRY_CTX(m_layers.unpack_file(m_content.blob_path(d.digest), doc.diff_ids[i]),
                    "layer " + d.digest.str());
    }
    const Digest& id = manifest.config.digest;
    {
        auto held = TRY(lock());
        std::string path = m_root + "/images/" + id.hex() + ".json";
        std::vector<std::string> repo_digests;
        std::string existing_manifest_type = content_type.empty() ? manifest.media_type : content_type;
        Digest existing_manifest = manifest_digest;
        int64_t loaded_at = static_cast<int64_t>(std::time(nullptr));
        if (sys::exists(path)) {
            try {
                auto j = json::parse(TRY(sys::read_file(path)));
                repo_digests = j.value("repo_digests", std::vector<std::string>{});
                loaded_at = j.value("loaded_at", loaded_at);
            } catch (const json::exception&) {
            }
        }
        if (!repo_name.empty()) {
            std::string rd = repo_name + "@" + repo_digest.value_or(manifest_digest).str();
            if (std::find(repo_digests.begin(), repo_digests.end(), rd) == repo_digests.end())
                repo_digests.push_back(rd);
        }
        json rec = {{"id", id.str()},
                    {"manifest_digest", existing_manifest.str()},
                    {"manifest_media_type", manifest.media_type},
                    {"repo_digests", repo_digests},
                    {"loaded_at", loaded_at}};
        TRY(sys::write_file_atomic(path, rec.dump(2) + "\n"));
        if (!tags.empty()) {
            auto all = TRY(read_tags());
            for (auto& t : tags)
                all[t.str()] = id.str();
            TRY(write_tags(all));
        }
    }
    return get(id);
}

Result<void> ImageStore::delete_record(const Digest& id)
{
    std::string path = m_root + "/images/" + id.hex() + ".json";
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return Error::from_errno("unlink " + path, errno);
    return ok();
}

Result<void> ImageStore::add_hold(const Digest& id, const std::string& holder, sys::Durability durability)
{
    auto held = TRY(lock());
    if (!sys::exists(m_root + "/images/" + id.hex() + ".json"))
        return no_such_image(id.str());
    return ImageHolds(m_root).add_locked(id, holder, durability);
}

Result<void> ImageStore::release_hold(const Digest& id, const std::string& holder)
{
    return ImageHolds(m_root).release(id, holder);
}

std::vector<std::string> ImageStore::holders(const Digest& id) const
{
    return ImageHolds(m_root).holders(id);
}

} // namespace wharf::engine
