// See container_copy.h.
#include "tools/wharf/container_copy.h"

#include "engine/container/runtime.h"
#include "engine/sys/copy.h"
#include "engine/sys/disk_usage.h"
#include "engine/sys/mount.h"
#include "engine/sys/namespace.h"
#include "engine/sys/pty.h"
#include "tools/wharf/cp_paths.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <iostream>
#include <memory>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace wharf::cli {
namespace {

// Gives the copy `out` the owner (the source's `st` or `owner`), mode and times of `st`.
Result<void> set_metadata(
    int out, const std::string& to, const struct stat& st, std::optional<sys::Owner> owner)
{
    // The owner first: fchown(2) clears the setuid and setgid bits that fchmod(2) then restores.
    if (::fchown(out, owner ? owner->uid : st.st_uid, owner ? owner->gid : st.st_gid) < 0)
        return Error::from_errno("fchown(2) " + to, errno);
    if (::fchmod(out, st.st_mode & 07777) < 0)
        return Error::from_errno("fchmod(2) " + to, errno);
    timespec times[2] = {st.st_atim, st.st_mtim};
    (void)::futimens(out, times);
    return ok();
}

Result<void> copy_file_fd(
    int in, const std::string& to, const struct stat& st, std::optional<sys::Owner> owner)
{
    sys::UniqueFd out(
        ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, st.st_mode & 07777));
    if (!out)
        return Error::from_errno("open " + to, errno);
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::from_errno("read(2)", errno);
        if (n == 0)
            break;
        TRY(sys::write_all(out.get(), std::string_view(buf, static_cast<size_t>(n))));
    }
    return set_metadata(out.get(), to, st, owner);
}

// The target of the symlink an O_PATH | O_NOFOLLOW fd names.
Result<std::string> read_link_fd(int fd, const std::string& what)
{
    std::string target(PATH_MAX, '\0');
    ssize_t n = ::readlinkat(fd, "", target.data(), target.size());
    if (n < 0)
        return Error::from_errno("readlink(2) " + what, errno);
    target.resize(static_cast<size_t>(n));
    return target;
}

// Creates `name` in the directory `dir_fd` as a symlink to `link` with the owner and times
// of `st` (or `owner`); what is there is replaced (unlinked, never followed), unless it is a
// directory. `shown` names it in errors.
Result<void> make_symlink_at(int dir_fd, const std::string& name, const std::string& shown,
    const std::string& link, const struct stat& st, std::optional<sys::Owner> owner)
{
    struct stat existing { };
    if (::fstatat(dir_fd, name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISDIR(existing.st_mode))
            return Error(Errc::Conflict, "cp: " + shown + " exists and is a directory");
        if (::unlinkat(dir_fd, name.c_str(), 0) < 0)
            return Error::from_errno("unlink " + shown, errno);
    }
    if (::symlinkat(link.c_str(), dir_fd, name.c_str()) < 0)
        return Error::from_errno("symlink(2) " + shown, errno);
    if (::fchownat(dir_fd, name.c_str(), owner ? owner->uid : st.st_uid, owner ? owner->gid : st.st_gid,
            AT_SYMLINK_NOFOLLOW)
        < 0)
        return Error::from_errno("lchown(2) " + shown, errno);
    timespec times[2] = {st.st_atim, st.st_mtim};
    (void)::utimensat(dir_fd, name.c_str(), times, AT_SYMLINK_NOFOLLOW);
    return ok();
}

CpDest kind_of_stat(int rc, const struct stat& st)
{
    if (rc < 0)
        return CpDest::Missing;
    return S_ISDIR(st.st_mode) ? CpDest::Directory : CpDest::Other;
}

Result<uint64_t> copy_out(
    int root, const std::string& src, const std::string& dest, const CopyOptions& options)
{
    auto owner = copy_owner(options, CopyDirection::FromContainer);
    std::string not_found = "Could not find the file " + src + " in container";
    std::string path = TRY_CTX(source_in_root(root, src, options.follow_link), not_found);
    auto fd = TRY_CTX(sys::open_in_root(root, path, O_PATH | O_NOFOLLOW), not_found);
    struct stat st { };
    if (::fstat(fd.get(), &st) < 0)
        return Error::from_errno("fstat(2) " + path, errno);
    bool src_dir = S_ISDIR(st.st_mode);
    struct stat dst { };
    int rc = ::stat(dest.c_str(), &dst);
    // Named after SRC even when -L followed it (Docker's rebase): "C:/link D" gives D/link.
    std::string target = TRY(cp_target(src, src_dir, dest, kind_of_stat(rc, dst)));
    std::string from = sys::fd_path(fd.get());
    if (src_dir) {
        bool made = ::mkdir(target.c_str(), 0700) == 0;
        if (!made && errno != EEXIST)
            return Error::from_errno("mkdir " + target, errno);
        TRY(sys::copy_tree(from, target, owner));
        if (made) // an existing directory ("SRC/." into it) keeps its own owner and mode
            TRY(sys::copy_metadata(target, st, owner));
        return sys::disk_usage(target);
    }
    if (S_ISLNK(st.st_mode)) {
        std::string parent = dir_name(target);
        sys::UniqueFd parent_fd(::open(parent.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!parent_fd)
            return Error::from_errno("open " + parent, errno);
        TRY(make_symlink_at(
            parent_fd.get(), base_name(target), target, TRY(read_link_fd(fd.get(), path)), st, owner));
        return static_cast<uint64_t>(st.st_size);
    }
    if (!S_ISREG(st.st_mode))
        return Error(Errc::Invalid, "cp: " + src + " is not a regular file or directory");
    sys::UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in)
        return Error::from_errno("open " + src, errno);
    TRY(copy_file_fd(in.get(), target, st, owner));
    return static_cast<uint64_t>(st.st_size);
}

Result<uint64_t> copy_in(
    int root, const std::string& src, const std::string& dest, const CopyOptions& options)
{
    auto owner = copy_owner(options, CopyDirection::ToContainer);
    struct stat st { };
    // Without -L a symlink SRC is copied as the symlink; with it, what it points to on the host.
    if (options.follow_link ? ::stat(src.c_str(), &st) < 0 : ::lstat(src.c_str(), &st) < 0)
        return Error::from_errno("stat " + src, errno);
    std::string from = src;
    if (options.follow_link) {
        std::unique_ptr<char, void (*)(void*)> real(::realpath(src.c_str(), nullptr), ::free);
        if (!real)
            return Error::from_errno("realpath(3) " + src, errno);
        from = real.get();
    }
    bool src_dir = S_ISDIR(st.st_mode);
    CpDest dest_kind = CpDest::Missing;
    if (auto d = sys::open_in_root(root, dest, O_PATH)) {
        struct stat dst { };
        dest_kind = kind_of_stat(::fstat(d->get(), &dst), dst);
    }
    std::string target = TRY(cp_target(src, src_dir, dest, dest_kind));
    // Only the parent is resolved inside the container; the last component is created by us.
    std::string parent = dir_name(target), name = base_name(target);
    auto parent_fd = TRY_CTX(sys::open_in_root(root, parent, O_PATH | O_DIRECTORY),
        "Could not find the file " + parent + " in container");
    std::string to = sys::fd_path(parent_fd.get()) + "/" + name;
    struct stat existing { };
    bool exists = ::fstatat(parent_fd.get(), name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0;
    if (src_dir) {
        if (target == dest && dest_kind == CpDest::Directory) {
            // "SRC/." into an existing directory: the contents land in it. An entry that exists
            // there as a directory or symlink would be followed: refused, as in the case below.
            std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(from.c_str()), ::closedir);
            if (!d)
                return Error::from_errno("opendir(3) " + src, errno);
            auto target_dir = TRY(sys::open_in_root(root, target, O_PATH | O_DIRECTORY));
            while (dirent* e = ::readdir(d.get())) {
                std::string entry = e->d_name;
                struct stat est { };
                if (entry != "." && entry != ".."
                    && ::fstatat(target_dir.get(), e->d_name, &est, AT_SYMLINK_NOFOLLOW) == 0
                    && !S_ISREG(est.st_mode))
                    return Error(Errc::Conflict,
                        "cp: " + target + "/" + entry
                            + " already exists in the container; merging directories is not supported");
            }
            TRY(sys::copy_tree(from, sys::fd_path(target_dir.get()), owner));
        } else {
            // Merging into an existing tree would follow the container's symlinks in it.
            if (exists)
                return Error(Errc::Conflict,
                    "cp: " + target
                        + " already exists in the container; copying a directory onto it is not supported");
            TRY(sys::copy_entry(from, to, owner));
        }
    } else if (S_ISLNK(st.st_mode)) {
        std::vector<char> link(PATH_MAX + 1, '\0');
        ssize_t n = ::readlink(src.c_str(), link.data(), PATH_MAX);
        if (n < 0)
            return Error::from_errno("readlink(2) " + src, errno);
        TRY(make_symlink_at(
            parent_fd.get(), name, target, std::string(link.data(), static_cast<size_t>(n)), st, owner));
        return static_cast<uint64_t>(st.st_size);
    } else {
        // A symlink there is replaced, as Docker's; it is unlinked, never written through.
        if (exists && S_ISLNK(existing.st_mode) && ::unlinkat(parent_fd.get(), name.c_str(), 0) < 0)
            return Error::from_errno("unlink " + target, errno);
        if (exists && !S_ISREG(existing.st_mode) && !S_ISLNK(existing.st_mode))
            return Error(
                Errc::Conflict, "cp: " + target + " exists in the container and is not a regular file");
        sys::UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
        if (!in)
            return Error::from_errno("open " + src, errno);
        TRY(copy_file_fd(in.get(), to, st, owner));
        return static_cast<uint64_t>(st.st_size);
    }
    return sys::disk_usage(from);
}

// A container that is not running has no mounted root: its overlay (image layers and its
// writable layer) is mounted in a private mount namespace of a child process, which does the
// copy there and reports back; the mount vanishes with that namespace. The container's
// volumes and bind mounts are not mounted (Docker's cp sees them).
Result<uint64_t> in_stopped_root(const engine::ContainerStore& store, const engine::ContainerRecord& rec,
    const std::function<Result<uint64_t>(int)>& copy)
{
    const auto& layers = rec.config.layer_dirs;
    if (layers.empty())
        return Error(Errc::Invalid, "cp: container " + rec.config.name + " has no root filesystem");
    auto paths = engine::container_paths(store, rec.id);
    std::string lower;
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) // topmost first, as overlayfs wants
        lower += (lower.empty() ? "" : ":") + *it;
    for (const auto& d : {paths.upper, paths.work, paths.merged})
        TRY(sys::make_dirs(d, 0755));
    auto pipe = TRY(sys::make_pipe());
    std::cout.flush();
    pid_t pid = ::fork();
    if (pid < 0)
        return Error::from_errno("fork(2)", errno);
    if (pid == 0) {
        pipe.read.reset();
        auto run = [&]() -> Result<uint64_t> {
            TRY(sys::unshare(CLONE_NEWNS));
            TRY(sys::mount("", "/", "", MS_REC | MS_PRIVATE));
            TRY(sys::mount("overlay", paths.merged, "overlay", 0,
                "lowerdir=" + lower + ",upperdir=" + paths.upper + ",workdir=" + paths.work));
            sys::UniqueFd root(::open(paths.merged.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
            if (!root)
                return Error::from_errno("open " + paths.merged, errno);
            return copy(root.get());
        };
        auto r = run();
        std::string msg = r ? "0 " + std::to_string(*r)
                            : std::to_string(static_cast<int>(r.error().code())) + " " + r.error().render();
        (void)sys::write_all(pipe.write.get(), msg);
        ::_exit(r ? 0 : 1);
    }
    sys::ChildProcess child(pid);
    pipe.write.reset();
    auto msg = TRY(sys::read_all(pipe.read.get()));
    (void)child.wait();
    auto space = msg.find(' ');
    if (space == std::string::npos)
        return Error(Errc::Internal, "cp: the copying process died without a report");
    int code = std::atoi(msg.substr(0, space).c_str());
    if (msg.rfind("0 ", 0) == 0)
        return static_cast<uint64_t>(std::stoull(msg.substr(space + 1)));
    std::string text = msg.substr(space + 1);
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    return Error(static_cast<Errc>(code), text);
}

} // namespace

Result<uint64_t> with_container_root(const engine::ContainerStore& store, const engine::ContainerRecord& rec,
                                     const std::function<Result<uint64_t>(int)>& fn)
{
    if (rec.state.status == engine::ContainerStatus::Running || rec.state.status == engine::ContainerStatus::Paused) {
        std::string root_path = "/proc/" + std::to_string(rec.state.pid) + "/root";
        sys::UniqueFd root(::open(root_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!root)
            return Error::from_errno("open " + root_path, errno);
        return fn(root.get());
    }
    return in_stopped_root(store, rec, fn);
}

Result<uint64_t> copy_with_container(const engine::ContainerStore& store, const engine::ContainerRecord& rec,
    CopyDirection direction, const std::string& host_path, const std::string& container_path,
    const CopyOptions& options)
{
    return with_container_root(store, rec, [&](int root) {
        return direction == CopyDirection::ToContainer ? copy_in(root, host_path, container_path, options)
                                                       : copy_out(root, container_path, host_path, options);
    });
}

std::optional<sys::Owner> copy_owner(const CopyOptions& options, CopyDirection direction)
{
    if (options.archive)
        return std::nullopt;
    if (direction == CopyDirection::ToContainer)
        return sys::Owner {0, 0};
    return sys::Owner {::getuid(), ::getgid()};
}

Result<std::string> source_in_root(int root_fd, const std::string& src, bool follow_link)
{
    std::string path = src;
    for (int hops = 0;; ++hops) {
        auto fd = TRY(sys::open_in_root(root_fd, path, O_PATH | O_NOFOLLOW));
        struct stat st { };
        if (::fstat(fd.get(), &st) < 0)
            return Error::from_errno("fstat(2) " + path, errno);
        if (!follow_link || !S_ISLNK(st.st_mode))
            return path;
        if (hops == 40) // the kernel's own limit on a path walk's symlinks
            return Error::from_errno("openat2(2) " + src, ELOOP);
        path = follow_link_path(path, TRY(read_link_fd(fd.get(), path)));
    }
}

} // namespace wharf::cli
