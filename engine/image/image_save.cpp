// `save`: Docker's modern archive (OCI layout + manifest.json) with the stored bytes.

#include "engine/image/archive_library.h"
#include "engine/image/image_archive.h"

#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <unistd.h>

namespace wharf::engine {

using nlohmann::json;

namespace {

struct WriteDeleter {
    void operator()(archive* a) const { libarchive().archive_write_free(a); }
};

Result<void> add_bytes(archive* a, const std::string& name, std::string_view bytes, int64_t mtime)
{
    std::unique_ptr<archive_entry, decltype(libarchive().archive_entry_free)> e(libarchive().archive_entry_new(), libarchive().archive_entry_free);
    libarchive().archive_entry_set_pathname(e.get(), name.c_str());
    libarchive().archive_entry_set_filetype(e.get(), AE_IFREG);
    libarchive().archive_entry_set_perm(e.get(), 0644);
    libarchive().archive_entry_set_size(e.get(), static_cast<la_int64_t>(bytes.size()));
    libarchive().archive_entry_set_mtime(e.get(), mtime, 0);
    if (libarchive().archive_write_header(a, e.get()) != ARCHIVE_OK)
        return Error(Errc::Io, "write " + name + ": " + libarchive().archive_error_string(a));
    if (!bytes.empty() && libarchive().archive_write_data(a, bytes.data(), bytes.size()) < 0)
        return Error(Errc::Io, "write " + name + ": " + libarchive().archive_error_string(a));
    return ok();
}

Result<void> add_dir(archive* a, const std::string& name)
{
    std::unique_ptr<archive_entry, decltype(libarchive().archive_entry_free)> e(libarchive().archive_entry_new(), libarchive().archive_entry_free);
    libarchive().archive_entry_set_pathname(e.get(), name.c_str());
    libarchive().archive_entry_set_filetype(e.get(), AE_IFDIR);
    libarchive().archive_entry_set_perm(e.get(), 0755);
    libarchive().archive_entry_set_mtime(e.get(), 0, 0);
    if (libarchive().archive_write_header(a, e.get()) != ARCHIVE_OK)
        return Error(Errc::Io, "write " + name + ": " + libarchive().archive_error_string(a));
    return ok();
}

Result<void> add_blob(archive* a, const ContentStore& cs, const Digest& d, int64_t mtime)
{
    std::string path = cs.blob_path(d);
    sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return Error::from_errno("open " + path, errno);
    int64_t size = TRY(cs.size(d));
    std::string name = "blobs/sha256/" + d.hex();
    std::unique_ptr<archive_entry, decltype(libarchive().archive_entry_free)> e(libarchive().archive_entry_new(), libarchive().archive_entry_free);
    libarchive().archive_entry_set_pathname(e.get(), name.c_str());
    libarchive().archive_entry_set_filetype(e.get(), AE_IFREG);
    libarchive().archive_entry_set_perm(e.get(), 0644);
    libarchive().archive_entry_set_size(e.get(), size);
    libarchive().archive_entry_set_mtime(e.get(), mtime, 0);
    if (libarchive().archive_write_header(a, e.get()) != ARCHIVE_OK)
        return Error(Errc::Io, "write " + name + ": " + libarchive().archive_error_string(a));
    std::vector<char> buf(1 << 20);
    for (;;) {
        ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::from_errno("read " + path, errno);
        if (n == 0)
            break;
        if (libarchive().archive_write_data(a, buf.data(), static_cast<size_t>(n)) < 0)
            return Error(Errc::Io, "write " + name + ": " + libarchive().archive_error_string(a));
    }
    return ok();
}

} // namespace

Result<void> save_archive(ImageStore& store, const std::vector<std::string>& refs, const std::string& out_path)
{
    struct Item {
        Image img;
        std::vector<ImageReference> tags;
    };
    std::vector<Item> items;
    for (auto& r : refs) {
        Image img = TRY(store.resolve(r));
        std::vector<ImageReference> tags;
        if (!is_image_id(r))
            if (auto ref = ImageReference::parse(r); ref && !ref->digest &&
                std::find(img.repo_tags.begin(), img.repo_tags.end(), ref->str()) != img.repo_tags.end())
                tags.push_back(*ref);
        auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.img.id == img.id; });
        if (it == items.end())
            items.push_back({std::move(img), tags});
        else
            it->tags.insert(it->tags.end(), tags.begin(), tags.end());
    }

    std::unique_ptr<archive, WriteDeleter> a(libarchive().archive_write_new());
    libarchive().archive_write_set_format_pax_restricted(a.get());
    int r = out_path == "-" ? libarchive().archive_write_open_fd(a.get(), 1) : libarchive().archive_write_open_filename(a.get(), (out_path + ".tmp").c_str());
    if (r != ARCHIVE_OK)
        return Error(Errc::Io, "open " + out_path + ": " + libarchive().archive_error_string(a.get()));
    struct Cleanup {
        std::string path;
        ~Cleanup()
        {
            if (!path.empty())
                ::unlink(path.c_str());
        }
    } cleanup{out_path == "-" ? "" : out_path + ".tmp"};

    TRY(add_dir(a.get(), "blobs/"));
    TRY(add_dir(a.get(), "blobs/sha256/"));
    std::set<Digest> written;
    Index index;
    json manifest_json = json::array();
    for (auto& item : items) {
        int64_t created = parse_rfc3339(item.img.document.created).value_or(0);
        std::vector<Digest> blobs{item.img.manifest_digest, item.img.id};
        for (auto& l : item.img.layers)
            blobs.push_back(l.blob_digest);
        for (auto& d : blobs)
            if (written.insert(d).second)
                TRY(add_blob(a.get(), store.content(), d, created));
        Descriptor desc;
        desc.media_type = item.img.manifest_media_type;
        desc.digest = item.img.manifest_digest;
        desc.size = TRY(store.content().size(item.img.manifest_digest));
        if (item.tags.empty()) {
            index.manifests.push_back(desc);
        }
        json repo_tags = json::array();
        for (auto& t : item.tags) {
            Descriptor td = desc;
            td.annotations["io.containerd.image.name"] = t.str();
            td.annotations["org.opencontainers.image.ref.name"] = t.tag;
            index.manifests.push_back(td);
            repo_tags.push_back(t.familiar());
        }
        json layers = json::array();
        for (auto& l : item.img.layers)
            layers.push_back("blobs/sha256/" + l.blob_digest.hex());
        manifest_json.push_back({{"Config", "blobs/sha256/" + item.img.id.hex()},
                                 {"RepoTags", item.tags.empty() ? json(nullptr) : repo_tags},
                                 {"Layers", layers}});
    }
    TRY(add_bytes(a.get(), "index.json", serialize(index), 0));
    TRY(add_bytes(a.get(), "manifest.json", manifest_json.dump(), 0));
    TRY(add_bytes(a.get(), "oci-layout", R"({"imageLayoutVersion":"1.0.0"})", 0));
    if (libarchive().archive_write_close(a.get()) != ARCHIVE_OK)
        return Error(Errc::Io, "write " + out_path + ": " + libarchive().archive_error_string(a.get()));
    if (out_path != "-") {
        if (::rename((out_path + ".tmp").c_str(), out_path.c_str()) != 0)
            return Error::from_errno("rename " + out_path + ".tmp to " + out_path, errno);
        cleanup.path.clear();
    }
    for (const auto& item : items) // as Docker: one save event per image, named by its ID
        store.journal("save", item.img.id.str(), item.img.id.str());
    return ok();
}

} // namespace wharf::engine
