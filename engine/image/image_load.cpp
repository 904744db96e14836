// `load`: docker-save tarballs (legacy and modern) and OCI layout tarballs, in one pass.

#include "engine/image/archive_library.h"
#include "engine/image/image_archive.h"
#include "engine/image/layer_unpack.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

namespace wharf::engine {

using nlohmann::json;

namespace {

struct ReadDeleter {
    void operator()(archive* a) const { libarchive().archive_read_free(a); }
};

struct Members {
    std::map<std::string, Digest> files;          // cleaned member path -> stored blob
    std::map<std::string, std::string> symlinks;  // cleaned member path -> cleaned target

    /// Follows symlinks inside the archive (at most 16 hops).
    std::optional<Digest> find(std::string path) const
    {
        for (int hop = 0; hop < 16; ++hop) {
            if (auto it = files.find(path); it != files.end())
                return it->second;
            auto s = symlinks.find(path);
            if (s == symlinks.end())
                return std::nullopt;
            path = s->second;
        }
        return std::nullopt;
    }
};

Result<std::string> read_member(ImageStore& store, const Members& m, const std::string& path, const std::string& archive_name)
{
    auto d = m.find(path);
    if (!d)
        return Error(Errc::Invalid, "invalid archive " + archive_name + ": missing member \"" + path + "\"");
    return store.content().read(*d);
}

std::vector<ImageReference> tags_from_annotations(const Descriptor& d)
{
    std::vector<ImageReference> out;
    if (auto it = d.annotations.find("io.containerd.image.name"); it != d.annotations.end()) {
        if (auto r = ImageReference::parse(it->second); r && !r->digest)
            out.push_back(*r);
        return out;
    }
    if (auto it = d.annotations.find("org.opencontainers.image.ref.name"); it != d.annotations.end()) {
        // Only a full name is usable; a bare tag ("latest") names no repository.
        if (it->second.find_first_of("/:") != std::string::npos)
            if (auto r = ImageReference::parse(it->second); r && !r->digest)
                out.push_back(*r);
    }
    return out;
}

/// Resolves a descriptor (manifest or nested index) down to the host's manifest.
Result<Descriptor> to_manifest(ImageStore& store, Descriptor d, int depth = 0)
{
    if (depth > 4)
        return Error(Errc::Invalid, "image index nesting too deep at " + d.digest.str());
    std::string type = d.media_type;
    if (type.empty()) {
        auto bytes = TRY(store.content().read(d.digest));
        type = TRY(sniff_media_type(bytes));
    }
    if (media::is_index(type)) {
        auto bytes = TRY(store.content().read(d.digest));
        auto idx = TRY(parse_index(bytes, type));
        auto chosen = TRY(select_platform(idx, host_platform()));
        return to_manifest(store, chosen, depth + 1);
    }
    d.media_type = type;
    return d;
}

} // namespace

Result<std::vector<LoadedImage>> load_archive(ImageStore& store, const std::string& path)
{
    const std::string name = path == "-" ? std::string("(stdin)") : path;
    std::unique_ptr<archive, ReadDeleter> a(libarchive().archive_read_new());
    libarchive().archive_read_support_filter_all(a.get());
    libarchive().archive_read_support_format_tar(a.get());
    libarchive().archive_read_support_format_gnutar(a.get());
    int r = path == "-" ? libarchive().archive_read_open_fd(a.get(), 0, 1 << 20)
                        : libarchive().archive_read_open_filename(a.get(), path.c_str(), 1 << 20);
    if (r != ARCHIVE_OK)
        return Error(Errc::Invalid, "open archive " + name + ": " + libarchive().archive_error_string(a.get()));
    auto lease = TRY(store.lease());
    Members members;
    std::vector<char> buf(1 << 20);
    for (;;) {
        archive_entry* e = nullptr;
        r = libarchive().archive_read_next_header(a.get(), &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN)
            return Error(Errc::Invalid, "read archive " + name + ": " + libarchive().archive_error_string(a.get()));
        std::string member = TRY_CTX(clean_member_path(libarchive().archive_entry_pathname(e)), "archive " + name);
        auto type = libarchive().archive_entry_filetype(e);
        if (type == AE_IFLNK) {
            std::string target = libarchive().archive_entry_symlink(e);
            std::string dir = member.find('/') == std::string::npos ? "" : member.substr(0, member.rfind('/'));
            std::string joined = target.starts_with("/") ? target : (dir.empty() ? target : dir + "/" + target);
            auto clean = clean_member_path(joined);
            if (clean)
                members.symlinks[member] = *clean;
            continue;
        }
        if (const char* hl = libarchive().archive_entry_hardlink(e)) {
            if (auto clean = clean_member_path(hl))
                members.symlinks[member] = *clean;
            continue;
        }
        if (type != AE_IFREG)
            continue;
        std::optional<Digest> expected;
        if (member.starts_with("blobs/sha256/") && member.size() == 13 + 64)
            expected = Digest::sha256_hex(member.substr(13));
        if (expected && store.content().has(*expected)) {
            lease.add(*expected); // skip re-storing known content; still read through it
            members.files[member] = *expected;
            continue;
        }
        auto ingest = TRY(store.content().begin_ingest());
        for (;;) {
            la_ssize_t n = libarchive().archive_read_data(a.get(), buf.data(), buf.size());
            if (n < 0)
                return Error(Errc::Invalid, "read " + member + " from archive " + name + ": " +
                                                libarchive().archive_error_string(a.get()));
            if (n == 0)
                break;
            TRY(ingest.write(buf.data(), static_cast<size_t>(n)));
        }
        if (expected)
            lease.add(*expected);
        auto d = TRY(ingest.commit(expected, libarchive().archive_entry_size(e), "member " + member + " of archive " + name));
        lease.add(d);
        members.files[member] = d;
    }

    std::vector<LoadedImage> loaded;
    std::map<std::string, size_t> by_id;
    auto note = [&](const Image& img, const std::vector<ImageReference>& tags) {
        auto [it, fresh] = by_id.emplace(img.id.str(), loaded.size());
        if (fresh)
            loaded.push_back({img.id, {}});
        for (auto& t : tags)
            loaded[it->second].tags.push_back(t.str());
    };

    bool has_index = members.find("index.json").has_value();
    bool has_docker_manifest = members.find("manifest.json").has_value();
    if (!has_index && !has_docker_manifest)
        return Error(Errc::Invalid, "invalid archive " + name + ": does not contain a manifest.json or index.json");

    if (has_index) {
        auto bytes = TRY(read_member(store, members, "index.json", name));
        auto idx = TRY_CTX(parse_index(bytes), "archive " + name + ": index.json");
        for (auto& d : idx.manifests) {
            if (!d.media_type.empty() && !media::is_manifest(d.media_type) && !media::is_index(d.media_type))
                continue;
            auto md = TRY_CTX(to_manifest(store, d), "archive " + name);
            auto tags = tags_from_annotations(d);
            auto img = TRY_CTX(store.register_manifest(md.digest, md.media_type, tags), "archive " + name);
            note(img, tags);
        }
    }
    if (has_docker_manifest) {
        auto bytes = TRY(read_member(store, members, "manifest.json", name));
        json j;
        try {
            j = json::parse(bytes);
        } catch (const json::exception& e) {
            return Error(Errc::Invalid, "invalid archive " + name + ": manifest.json: " + e.what());
        }
        if (!j.is_array())
            return Error(Errc::Invalid, "invalid archive " + name + ": manifest.json is not an array");
        for (auto& entry : j) {
            std::vector<ImageReference> tags;
            if (entry.contains("RepoTags") && entry["RepoTags"].is_array())
                for (auto& t : entry["RepoTags"])
                    if (t.is_string())
                        tags.push_back(TRY_CTX(ImageReference::parse(t.get<std::string>()), "archive " + name));
            std::string config_path = entry.value("Config", "");
            auto config_digest = members.find(TRY(clean_member_path(config_path)));
            if (!config_digest)
                return Error(Errc::Invalid, "invalid archive " + name + ": missing config \"" + config_path + "\"");
            if (by_id.count(config_digest->str())) { // already registered from index.json
                for (auto& t : tags)
                    TRY(store.tag(*config_digest, t));
                auto img = TRY(store.get(*config_digest));
                note(img, tags);
                continue;
            }
            // Legacy generation: synthesise a Docker schema 2 manifest over the stored layer files.
            Manifest m;
            m.media_type = media::kDockerManifest;
            m.config.media_type = media::kDockerConfig;
            m.config.digest = *config_digest;
            m.config.size = TRY(store.content().size(*config_digest));
            for (auto& l : entry.value("Layers", std::vector<std::string>{})) {
                auto ld = members.find(TRY(clean_member_path(l)));
                if (!ld)
                    return Error(Errc::Invalid, "invalid archive " + name + ": missing layer \"" + l + "\"");
                Descriptor desc;
                desc.digest = *ld;
                desc.size = TRY(store.content().size(*ld));
                desc.media_type = sniff_layer_media_type(store.content().blob_path(*ld), MediaFamily::Docker);
                m.layers.push_back(desc);
            }
            std::string mbytes = serialize(m);
            lease.add(sha256(mbytes));
            auto md = TRY(store.content().put(mbytes));
            auto img = TRY_CTX(store.register_manifest(md, media::kDockerManifest, tags), "archive " + name);
            note(img, tags);
        }
    }
    // Docker's load event names the image by its ID, tags or not.
    for (const auto& l : loaded)
        store.journal("load", l.id.str(), l.id.str());
    return loaded;
}

} // namespace wharf::engine
