// See cp_tar.h.
#include "tools/wharf/cp_tar.h"

#include "engine/image/archive_library.h"
#include "engine/sys/fd.h"
#include "engine/sys/mount.h"
#include "tools/wharf/container_copy.h"
#include "tools/wharf/cp_paths.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <memory>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <vector>

namespace wharf::cli {
namespace {

using engine::libarchive;

struct ReadDeleter {
    void operator()(archive* a) const { libarchive().archive_read_free(a); }
};
struct WriteDeleter {
    void operator()(archive* a) const { libarchive().archive_write_free(a); }
};
struct EntryDeleter {
    void operator()(archive_entry* e) const { libarchive().archive_entry_free(e); }
};

std::string archive_text(archive* a)
{
    const char* s = libarchive().archive_error_string(a);
    return s ? s : "unknown error";
}

/// Walks a tree through O_PATH fds (never following a symlink) and writes each entry.
class TreeWriter {
public:
    explicit TreeWriter(archive* a)
        : m_archive(a)
    {
    }

    Result<void> add(int fd, const struct stat& st, const std::string& name)
    {
        std::unique_ptr<archive_entry, EntryDeleter> e(libarchive().archive_entry_new());
        const auto& la = libarchive();
        bool dir = S_ISDIR(st.st_mode);
        std::string tar_name = dir ? name + "/" : name;
        la.archive_entry_set_pathname(e.get(), tar_name.c_str());
        la.archive_entry_set_filetype(e.get(), st.st_mode & S_IFMT);
        la.archive_entry_set_perm(e.get(), st.st_mode & 07777);
        la.archive_entry_set_uid(e.get(), st.st_uid);
        la.archive_entry_set_gid(e.get(), st.st_gid);
        la.archive_entry_set_mtime(e.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        la.archive_entry_set_size(e.get(), 0);
        bool with_data = false;
        if (S_ISLNK(st.st_mode)) {
            std::vector<char> buf(static_cast<size_t>(std::max<off_t>(st.st_size, 255)) + 1);
            ssize_t n = ::readlinkat(fd, "", buf.data(), buf.size() - 1);
            if (n < 0)
                return Error::from_errno("readlink(2) " + name, errno);
            buf[static_cast<size_t>(n)] = '\0';
            la.archive_entry_set_symlink(e.get(), buf.data());
        } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
            la.archive_entry_set_rdev(e.get(), st.st_rdev);
        } else if (S_ISREG(st.st_mode)) {
            auto key = std::pair {st.st_dev, st.st_ino};
            auto seen = st.st_nlink > 1 ? m_links.find(key) : m_links.end();
            if (seen != m_links.end()) {
                la.archive_entry_set_hardlink(e.get(), seen->second.c_str());
            } else {
                if (st.st_nlink > 1)
                    m_links.emplace(key, name);
                la.archive_entry_set_size(e.get(), st.st_size);
                with_data = true;
            }
        } else if (!dir && !S_ISFIFO(st.st_mode)) {
            return ok(); // sockets: not archivable, as in Docker's tar
        }
        if (la.archive_write_header(m_archive, e.get()) < ARCHIVE_WARN)
            return Error(Errc::Io, "cp: entry \"" + tar_name + "\": " + archive_text(m_archive));
        if (with_data)
            TRY(write_data(fd, name));
        if (dir)
            TRY(add_children(fd, name));
        return ok();
    }

    uint64_t content_bytes() const { return m_bytes; }

private:
    Result<void> write_data(int fd, const std::string& name)
    {
        // The magic link reopens the very file the O_PATH fd names (no path walk again).
        sys::UniqueFd in(::open(sys::fd_path(fd).c_str(), O_RDONLY | O_CLOEXEC));
        if (!in)
            return Error::from_errno("open " + name, errno);
        char buf[65536];
        for (;;) {
            ssize_t n = ::read(in.get(), buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return Error::from_errno("read(2) " + name, errno);
            if (n == 0)
                return ok();
            if (libarchive().archive_write_data(m_archive, buf, static_cast<size_t>(n)) < 0)
                return Error(Errc::Io, "cp: entry \"" + name + "\": " + archive_text(m_archive));
            m_bytes += static_cast<uint64_t>(n);
        }
    }

    Result<void> add_children(int fd, const std::string& name)
    {
        int dfd = ::openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
            return Error::from_errno("open " + name, errno);
        std::unique_ptr<DIR, int (*)(DIR*)> d(::fdopendir(dfd), ::closedir);
        if (!d) {
            ::close(dfd);
            return Error::from_errno("fdopendir(3) " + name, errno);
        }
        std::vector<std::string> names; // sorted: the archive is the same for the same tree
        while (dirent* ent = ::readdir(d.get()))
            if (std::string n = ent->d_name; n != "." && n != "..")
                names.push_back(n);
        std::sort(names.begin(), names.end());
        for (const auto& n : names) {
            sys::UniqueFd child(::openat(fd, n.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
            if (!child)
                return Error::from_errno("open " + name + "/" + n, errno);
            struct stat st { };
            if (::fstat(child.get(), &st) < 0)
                return Error::from_errno("fstat(2) " + name + "/" + n, errno);
            TRY(add(child.get(), st, name + "/" + n));
        }
        return ok();
    }

    archive* m_archive;
    std::map<std::pair<dev_t, ino_t>, std::string> m_links;
    uint64_t m_bytes = 0;
};

/// Restores the working directory when the extraction is over, however it ends.
class CwdGuard {
public:
    static Result<CwdGuard> enter(int dir_fd, const std::string& what)
    {
        sys::UniqueFd old(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!old)
            return Error::from_errno("open the working directory", errno);
        if (::fchdir(dir_fd) < 0)
            return Error::from_errno("fchdir(2) " + what, errno);
        return CwdGuard(std::move(old));
    }
    CwdGuard(CwdGuard&&) = default;
    ~CwdGuard()
    {
        if (m_old)
            (void)::fchdir(m_old.get());
    }

private:
    explicit CwdGuard(sys::UniqueFd old)
        : m_old(std::move(old))
    {
    }
    sys::UniqueFd m_old;
};

} // namespace

Result<uint64_t> write_tar_from_root(int root_fd, const std::string& src, int out_fd, bool follow_link)
{
    auto path = source_in_root(root_fd, src, follow_link);
    auto fd
        = path ? sys::open_in_root(root_fd, *path, O_PATH | O_NOFOLLOW) : Result<sys::UniqueFd>(path.error());
    if (!fd && fd.error().sys_errno() == ENOENT)
        return Error(Errc::NotFound, "Could not find the file " + src + " in container");
    if (!fd)
        return std::move(fd).error();
    struct stat st { };
    if (::fstat(fd->get(), &st) < 0)
        return Error::from_errno("fstat(2) " + *path, errno);
    std::string name = base_name(*path);
    if (name == "/")
        name = ".";
    std::unique_ptr<archive, WriteDeleter> a(libarchive().archive_write_new());
    libarchive().archive_write_set_format_pax_restricted(a.get());
    if (libarchive().archive_write_open_fd(a.get(), out_fd) != ARCHIVE_OK)
        return Error(Errc::Io, "cp: writing the archive: " + archive_text(a.get()));
    TreeWriter writer(a.get());
    TRY(writer.add(fd->get(), st, name));
    if (libarchive().archive_write_close(a.get()) != ARCHIVE_OK)
        return Error(Errc::Io, "cp: writing the archive: " + archive_text(a.get()));
    return writer.content_bytes();
}

Result<uint64_t> extract_tar_into_root(int root_fd, const std::string& dest, int in_fd,
    const std::string& shown_dest, std::optional<sys::Owner> owner)
{
    auto not_dir = Error(Errc::Invalid, "destination \"" + shown_dest + "\" must be a directory");
    auto d = sys::open_in_root(root_fd, dest, O_PATH);
    if (!d && d.error().sys_errno() != ENOENT && d.error().sys_errno() != ENOTDIR)
        return std::move(d).error();
    struct stat st { };
    if (!d || ::fstat(d->get(), &st) < 0 || !S_ISDIR(st.st_mode))
        return not_dir;
    const auto& la = libarchive();
    std::unique_ptr<archive, ReadDeleter> in(la.archive_read_new());
    la.archive_read_support_filter_all(in.get());
    la.archive_read_support_format_tar(in.get());
    la.archive_read_support_format_gnutar(in.get());
    if (la.archive_read_open_fd(in.get(), in_fd, 65536) != ARCHIVE_OK)
        return Error(Errc::Invalid, "cp: reading the archive: " + archive_text(in.get()));
    std::unique_ptr<archive, WriteDeleter> out(la.archive_write_disk_new());
    // Names are relative to the working directory, which is DEST: with the secure flags no
    // entry lands outside it, nor is written through a symlink (the container's or its own).
    la.archive_write_disk_set_options(out.get(),
        ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_SECURE_SYMLINKS
            | ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
    auto cwd = TRY(CwdGuard::enter(d->get(), dest));
    for (;;) {
        archive_entry* e = nullptr;
        int r = la.archive_read_next_header(in.get(), &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN)
            return Error(Errc::Invalid, "cp: reading the archive: " + archive_text(in.get()));
        const char* p = la.archive_entry_pathname(e);
        std::string what = "cp: entry \"" + std::string(p ? p : "") + "\": ";
        if (owner) { // numeric: no lookup function is set, so libarchive ignores the names
            la.archive_entry_set_uid(e, owner->uid);
            la.archive_entry_set_gid(e, owner->gid);
        }
        if (la.archive_write_header(out.get(), e) < ARCHIVE_WARN)
            return Error(Errc::Invalid, what + archive_text(out.get()));
        const void* buf = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        while ((r = la.archive_read_data_block(in.get(), &buf, &size, &offset)) == ARCHIVE_OK)
            if (la.archive_write_data_block(out.get(), buf, size, offset) < ARCHIVE_OK)
                return Error(Errc::Io, what + archive_text(out.get()));
        if (r < ARCHIVE_WARN)
            return Error(Errc::Invalid, what + archive_text(in.get()));
        if (la.archive_write_finish_entry(out.get()) < ARCHIVE_WARN)
            return Error(Errc::Io, what + archive_text(out.get()));
    }
    // Directory modes and times are set when the writer closes (libarchive defers them).
    if (la.archive_write_close(out.get()) != ARCHIVE_OK)
        return Error(Errc::Io, "cp: " + archive_text(out.get()));
    return static_cast<uint64_t>(la.archive_filter_bytes(in.get(), -1));
}

} // namespace wharf::cli
