#include "engine/image/layer_store.h"

#include "engine/sys/file.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

namespace wharf::engine {

using nlohmann::json;

Result<LayerStore> LayerStore::open(const std::string& root)
{
    TRY(sys::make_dirs(root + "/layers"));
    return LayerStore(root + "/layers", ::geteuid() == 0 ? OverlayXattr::Trusted : OverlayXattr::User);
}

bool LayerStore::has(const Digest& diff_id) const
{
    return sys::exists(m_root + "/" + diff_id.hex() + "/layer.json");
}

std::string LayerStore::diff_dir(const Digest& diff_id) const { return m_root + "/" + diff_id.hex() + "/diff"; }

Result<LayerInfo> LayerStore::info(const Digest& diff_id) const
{
    auto text = sys::read_file(m_root + "/" + diff_id.hex() + "/layer.json");
    if (!text)
        return Error(Errc::NotFound, "layer " + diff_id.str() + " is not unpacked");
    LayerInfo li;
    li.diff_id = diff_id;
    li.dir = diff_dir(diff_id);
    try {
        auto j = json::parse(*text);
        li.size = j.value("size", uint64_t{0});
        li.tar_size = j.value("tar_size", uint64_t{0});
    } catch (const json::exception& e) {
        return Error(Errc::Internal, "layer record " + diff_id.str() + ": " + e.what());
    }
    return li;
}

Result<LayerInfo> LayerStore::unpack(const LayerReadFn& read, const std::optional<Digest>& expected,
                                     const std::function<void(uint64_t)>& progress)
{
    if (expected && has(*expected))
        return info(*expected);
    static std::atomic<uint64_t> counter{0};
    std::string tmp = m_root + "/.tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    TRY(sys::remove_all(tmp));
    TRY(sys::make_dirs(tmp + "/diff"));
    struct Cleanup {
        std::string path;
        ~Cleanup()
        {
            if (!path.empty())
                (void)sys::remove_all(path);
        }
    } cleanup{tmp};
    UnpackOptions opts;
    opts.xattr_ns = m_xattr;
    opts.progress = progress;
    auto r = TRY(unpack_layer(read, tmp + "/diff", opts));
    if (expected && r.diff_id != *expected)
        return Error(Errc::Invalid, "layer DiffID mismatch: expected " + expected->str() + ", got " + r.diff_id.str());
    json rec = {{"diff_id", r.diff_id.str()}, {"size", r.content_size}, {"tar_size", r.tar_size},
                {"xattr", m_xattr == OverlayXattr::Trusted ? "trusted" : "user"}};
    TRY(sys::write_file_atomic(tmp + "/layer.json", rec.dump()));
    std::string final_dir = m_root + "/" + r.diff_id.hex();
    if (::rename(tmp.c_str(), final_dir.c_str()) != 0) {
        if (errno != EEXIST && errno != ENOTEMPTY)
            return Error::from_errno("rename " + tmp + " to " + final_dir, errno);
        // Someone unpacked the same layer meanwhile: keep theirs (Cleanup drops ours).
        if (!has(r.diff_id)) {
            // A leftover without a record (crash between mkdir and rename cannot happen, but
            // a manual deletion can): replace it.
            TRY(sys::remove_all(final_dir));
            if (::rename(tmp.c_str(), final_dir.c_str()) != 0)
                return Error::from_errno("rename " + tmp + " to " + final_dir, errno);
            cleanup.path.clear();
        }
    } else {
        cleanup.path.clear();
    }
    return LayerInfo{r.diff_id, r.content_size, r.tar_size, diff_dir(r.diff_id)};
}

Result<LayerInfo> LayerStore::unpack_file(const std::string& path, const std::optional<Digest>& expected)
{
    if (expected && has(*expected))
        return info(*expected);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error::from_errno("open " + path, errno);
    sys::UniqueFd in(fd);
    int read_errno = 0;
    LayerReadFn read = [&](void* buf, size_t cap) -> ssize_t {
        for (;;) {
            ssize_t n = ::read(in.get(), buf, cap);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                read_errno = errno;
            return n;
        }
    };
    auto r = unpack(read, expected);
    if (!r && read_errno)
        return Error::from_errno("read " + path, read_errno);
    if (!r)
        return std::move(r).error().context("unpack layer " + path);
    return r;
}

Result<void> LayerStore::remove(const Digest& diff_id)
{
    std::string dir = m_root + "/" + diff_id.hex();
    std::string doomed = m_root + "/.tmp-rm-" + diff_id.hex() + "-" + std::to_string(::getpid());
    // Rename first so a half-deleted tree is never mistaken for a layer.
    if (::rename(dir.c_str(), doomed.c_str()) != 0) {
        if (errno == ENOENT)
            return ok();
        return Error::from_errno("rename " + dir, errno);
    }
    return sys::remove_all(doomed);
}

std::vector<Digest> LayerStore::list() const
{
    std::vector<Digest> out;
    DIR* dir = ::opendir(m_root.c_str());
    if (!dir)
        return out;
    while (auto* e = ::readdir(dir)) {
        std::string name = e->d_name;
        if (name.size() == 64)
            if (auto d = Digest::parse("sha256:" + name); d && has(*d))
                out.push_back(*d);
    }
    ::closedir(dir);
    return out;
}

} // namespace wharf::engine
