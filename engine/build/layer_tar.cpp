// Layer tarballs through libarchive (see layer_tar.h).

#include "engine/image/archive_library.h"
#include "engine/build/layer_tar.h"

#include "engine/sys/fd.h"

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <vector>

namespace wharf::engine::build {
namespace {

struct ArchiveDeleter {
    void operator()(archive* a) const { libarchive().archive_write_free(a); }
};
struct EntryDeleter {
    void operator()(archive_entry* e) const { libarchive().archive_entry_free(e); }
};

Result<std::string> read_link(const std::string& path)
{
    std::vector<char> buf(4096);
    ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
    if (n < 0)
        return Error::from_errno("readlink " + path, errno);
    return std::string(buf.data(), static_cast<size_t>(n));
}

// Xattrs Docker keeps in layer tars: security.capability; overlay's own are never copied.
std::map<std::string, std::string> layer_xattrs(const std::string& path)
{
    std::map<std::string, std::string> out;
    std::vector<char> buf(256);
    ssize_t n = ::lgetxattr(path.c_str(), "security.capability", buf.data(), buf.size());
    if (n > 0)
        out["security.capability"] = std::string(buf.data(), static_cast<size_t>(n));
    return out;
}

bool is_opaque(const std::string& path, const std::string& prefix)
{
    char v[4];
    ssize_t n = ::lgetxattr(path.c_str(), (prefix + "overlay.opaque").c_str(), v, sizeof v);
    return n == 1 && v[0] == 'y';
}

Result<void> walk_upper(LayerTar& tar, const std::string& root, const std::string& rel,
    const std::string& prefix, std::map<std::pair<dev_t, ino_t>, std::string>& inodes)
{
    std::string dir = rel.empty() ? root : root + "/" + rel;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d)
        return Error::from_errno("opendir " + dir, errno);
    while (dirent* de = ::readdir(d.get())) {
        std::string name = de->d_name;
        if (name == "." || name == "..")
            continue;
        std::string path = rel.empty() ? name : rel + "/" + name;
        std::string host = root + "/" + path;
        struct stat st { };
        if (::lstat(host.c_str(), &st) != 0)
            return Error::from_errno("lstat " + host, errno);
        TarEntry e;
        e.mode = st.st_mode & 07777;
        e.uid = st.st_uid;
        e.gid = st.st_gid;
        e.mtime = st.st_mtim.tv_sec;
        if (S_ISCHR(st.st_mode) && st.st_rdev == 0) {
            // An overlayfs whiteout: the name was deleted from the lower layers.
            TarEntry wh;
            wh.kind = TarEntry::Kind::Whiteout;
            wh.mode = 0600;
            wh.mtime = e.mtime;
            tar.add((rel.empty() ? "" : rel + "/") + ".wh." + name, std::move(wh));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            e.kind = TarEntry::Kind::Dir;
            e.xattrs = layer_xattrs(host);
            tar.add(path, std::move(e));
            if (is_opaque(host, prefix)) {
                TarEntry op;
                op.kind = TarEntry::Kind::Opaque;
                op.mode = 0600;
                tar.add(path + "/.wh..wh..opq", std::move(op));
            }
            TRY(walk_upper(tar, root, path, prefix, inodes));
            continue;
        }
        if (st.st_nlink > 1 && !S_ISDIR(st.st_mode)) {
            auto key = std::pair {st.st_dev, st.st_ino};
            auto it = inodes.find(key);
            if (it != inodes.end()) {
                e.kind = TarEntry::Kind::Hardlink;
                e.link = it->second;
                tar.add(path, std::move(e));
                continue;
            }
            inodes[key] = path;
        }
        if (S_ISREG(st.st_mode)) {
            e.kind = TarEntry::Kind::File;
            e.source = host;
            e.xattrs = layer_xattrs(host);
        } else if (S_ISLNK(st.st_mode)) {
            e.kind = TarEntry::Kind::Symlink;
            e.link = TRY(read_link(host));
        } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
            e.kind = S_ISCHR(st.st_mode) ? TarEntry::Kind::CharDev : TarEntry::Kind::BlockDev;
            e.rdev = st.st_rdev;
        } else if (S_ISFIFO(st.st_mode)) {
            e.kind = TarEntry::Kind::Fifo;
        } else {
            continue; // sockets are not carried in layers
        }
        tar.add(path, std::move(e));
    }
    return ok();
}

} // namespace

void LayerTar::add(const std::string& path, TarEntry entry)
{
    m_entries[path] = std::move(entry);
}

Result<void> LayerTar::add_upper_dir(const std::string& upper, const std::string& xattr_prefix)
{
    std::map<std::pair<dev_t, ino_t>, std::string> inodes;
    TRY(walk_upper(*this, upper, "", xattr_prefix, inodes));
    // Entries are written in path order, but each hard link names as its target the path
    // readdir met first: give the content to the group's first path in write order.
    std::map<std::string, std::string> first_link; // target -> its smallest link path
    for (const auto& [path, e] : m_entries)
        if (e.kind == TarEntry::Kind::Hardlink && !first_link.contains(e.link))
            first_link[e.link] = path;
    for (const auto& [target, smallest] : first_link) {
        if (target < smallest)
            continue;
        TarEntry content = m_entries[target];
        TarEntry link = m_entries[smallest];
        link.link = smallest;
        m_entries[smallest] = std::move(content);
        m_entries[target] = std::move(link);
        for (auto& [path, e] : m_entries)
            if (e.kind == TarEntry::Kind::Hardlink && e.link == target)
                e.link = smallest;
    }
    return ok();
}

Result<void> LayerTar::write(const std::string& out_path) const
{
    std::unique_ptr<archive, ArchiveDeleter> a(libarchive().archive_write_new());
    libarchive().archive_write_set_format_pax_restricted(a.get());
    // Names are bytes, as in Go's archive/tar: without this, libarchive converts pax names
    // from the locale's charset to UTF-8 and fails on any non-ASCII name under the C locale
    // (seen with ca-certificates' "NetLock_Arany_=Class_Gold=_Főtanúsítvány.pem" links).
    if (libarchive().archive_write_set_options(a.get(), "hdrcharset=BINARY") != ARCHIVE_OK)
        return Error(
            Errc::Internal, std::string("libarchive: hdrcharset=BINARY: ") + libarchive().archive_error_string(a.get()));
    libarchive().archive_write_set_bytes_per_block(a.get(), 10240);
    auto fail = [&](const std::string& what) {
        return Error(Errc::Io,
            "write layer " + out_path + ": " + what + ": "
                + (libarchive().archive_error_string(a.get()) ? libarchive().archive_error_string(a.get()) : "unknown error"));
    };
    if (libarchive().archive_write_open_filename(a.get(), out_path.c_str()) != ARCHIVE_OK)
        return fail("open");
    std::vector<char> buf(1 << 16);
    for (const auto& [path, e] : m_entries) {
        std::unique_ptr<archive_entry, EntryDeleter> ae(libarchive().archive_entry_new());
        std::string name = path;
        mode_t type = AE_IFREG;
        int64_t size = 0;
        switch (e.kind) {
        case TarEntry::Kind::File:
            size = e.source.empty() ? static_cast<int64_t>(e.content.size()) : -1;
            break;
        case TarEntry::Kind::Dir:
            type = AE_IFDIR;
            name += "/";
            break;
        case TarEntry::Kind::Symlink:
            type = AE_IFLNK;
            libarchive().archive_entry_set_symlink(ae.get(), e.link.c_str());
            break;
        case TarEntry::Kind::Hardlink:
            libarchive().archive_entry_set_hardlink(ae.get(), e.link.c_str());
            break;
        case TarEntry::Kind::CharDev:
            type = AE_IFCHR;
            break;
        case TarEntry::Kind::BlockDev:
            type = AE_IFBLK;
            break;
        case TarEntry::Kind::Fifo:
            type = AE_IFIFO;
            break;
        case TarEntry::Kind::Whiteout:
        case TarEntry::Kind::Opaque:
            break;
        }
        sys::UniqueFd fd;
        if (e.kind == TarEntry::Kind::File && !e.source.empty()) {
            fd = sys::UniqueFd(::open(e.source.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
            if (!fd)
                return Error::from_errno("open " + e.source, errno);
            struct stat st { };
            if (::fstat(fd.get(), &st) != 0)
                return Error::from_errno("fstat " + e.source, errno);
            size = st.st_size;
        }
        libarchive().archive_entry_set_pathname(ae.get(), name.c_str());
        if (e.kind != TarEntry::Kind::Hardlink)
            libarchive().archive_entry_set_filetype(ae.get(), type);
        libarchive().archive_entry_set_perm(ae.get(), e.mode & 07777);
        libarchive().archive_entry_set_uid(ae.get(), e.uid);
        libarchive().archive_entry_set_gid(ae.get(), e.gid);
        libarchive().archive_entry_set_mtime(ae.get(), e.mtime, 0);
        if (e.kind == TarEntry::Kind::CharDev || e.kind == TarEntry::Kind::BlockDev)
            libarchive().archive_entry_set_rdev(ae.get(), e.rdev);
        if (e.kind == TarEntry::Kind::File)
            libarchive().archive_entry_set_size(ae.get(), size);
        else
            libarchive().archive_entry_set_size(ae.get(), 0);
        for (const auto& [k, v] : e.xattrs)
            libarchive().archive_entry_xattr_add_entry(ae.get(), k.c_str(), v.data(), v.size());
        if (libarchive().archive_write_header(a.get(), ae.get()) != ARCHIVE_OK)
            return fail(path);
        if (e.kind == TarEntry::Kind::File) {
            if (!e.source.empty()) {
                int64_t left = size;
                while (left > 0) {
                    ssize_t n = ::read(fd.get(), buf.data(), buf.size());
                    if (n < 0 && errno == EINTR)
                        continue;
                    if (n < 0)
                        return Error::from_errno("read " + e.source, errno);
                    if (n == 0)
                        return Error(
                            Errc::Io, "write layer " + out_path + ": " + e.source + " shrank while reading");
                    if (libarchive().archive_write_data(a.get(), buf.data(), static_cast<size_t>(n)) < 0)
                        return fail(path);
                    left -= n;
                }
            } else if (!e.content.empty()
                && libarchive().archive_write_data(a.get(), e.content.data(), e.content.size()) < 0) {
                return fail(path);
            }
        }
    }
    if (libarchive().archive_write_close(a.get()) != ARCHIVE_OK)
        return fail("close");
    return ok();
}

} // namespace wharf::engine::build
