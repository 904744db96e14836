#include "engine/sys/mount.h"

#include "engine/base/split.h"
#include "engine/sys/file.h"

#include <cerrno>
#include <fcntl.h>
#include <sched.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace wharf::sys {

Result<void> mount(const std::string& source, const std::string& target, const std::string& fstype,
                   unsigned long flags, const std::string& data)
{
    int r;
    do {
        r = ::mount(source.empty() ? nullptr : source.c_str(), target.c_str(),
                    fstype.empty() ? nullptr : fstype.c_str(), flags,
                    data.empty() ? nullptr : data.c_str());
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        std::string what = !fstype.empty() ? fstype
                           : (flags & MS_BIND) ? (flags & MS_REMOUNT ? "remount bind" : "bind " + source)
                           : (flags & (MS_PRIVATE | MS_SLAVE | MS_SHARED)) ? "propagation"
                           : (flags & MS_REMOUNT) ? "remount"
                           : source;
        return Error::from_errno("mount(2) " + what + " on " + target, errno);
    }
    return ok();
}

Result<void> umount(const std::string& target, int flags)
{
    int r;
    do {
        r = ::umount2(target.c_str(), flags);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return Error::from_errno("umount2(2) " + target, errno);
    return ok();
}

Result<void> pivot_into(const std::string& new_root)
{
    UniqueFd newroot(::open(new_root.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (!newroot)
        return Error::from_errno("open " + new_root, errno);
    UniqueFd oldroot(::open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (!oldroot)
        return Error::from_errno("open /", errno);
    if (::fchdir(newroot.get()) < 0)
        return Error::from_errno("fchdir(2) " + new_root, errno);
    if (::syscall(SYS_pivot_root, ".", ".") < 0)
        return Error::from_errno("pivot_root(2) " + new_root, errno);
    // The old root now sits below the new one at ".": make sure unmounting it propagates
    // nowhere, then detach it.
    if (::fchdir(oldroot.get()) < 0)
        return Error::from_errno("fchdir(2) old root", errno);
    TRY(mount("", ".", "", MS_SLAVE | MS_REC));
    TRY(umount(".", MNT_DETACH));
    if (::chdir("/") < 0)
        return Error::from_errno("chdir(2) /", errno);
    return ok();
}

Result<void> make_readonly_recursive(const std::string& target)
{
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (::mount_setattr(AT_FDCWD, target.c_str(), AT_RECURSIVE, &attr, sizeof attr) < 0)
        return Error::from_errno("mount_setattr(2) ro on " + target, errno);
    return ok();
}

Result<unsigned long> mount_flags_of(const std::string& path)
{
    struct statvfs st{};
    if (::statvfs(path.c_str(), &st) < 0)
        return Error::from_errno("statvfs(3) " + path, errno);
    unsigned long flags = 0;
    if (st.f_flag & ST_NOSUID) flags |= MS_NOSUID;
    if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
    if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (st.f_flag & ST_RDONLY) flags |= MS_RDONLY;
    return flags;
}

Result<void> remount_bind_readonly(const std::string& target)
{
    unsigned long keep = TRY(mount_flags_of(target));
    return mount("", target, "", MS_REMOUNT | MS_BIND | MS_RDONLY | keep);
}

std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

Result<UniqueFd> open_in_root(int root_fd, const std::string& path, int flags)
{
    open_how how{};
    how.flags = static_cast<unsigned long long>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    int fd;
    do {
        fd = static_cast<int>(::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
    } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
    if (fd < 0)
        return Error::from_errno("openat2(2) " + path, errno);
    return UniqueFd(fd);
}

Result<UniqueFd> ensure_in_root(int root_fd, const std::string& path, PathKind kind)
{
    // Walk component by component from the root; each step is resolved inside the root, so a
    // symlink component ("/etc -> /host/etc") stays confined.
    std::string so_far;
    std::vector<std::string> comps;
    for (std::string_view part : split(path, '/'))
        if (!part.empty() && part != ".")
            comps.emplace_back(part);
    for (size_t i = 0; i < comps.size(); ++i) {
        bool last = i + 1 == comps.size();
        std::string parent = so_far.empty() ? "/" : so_far;
        so_far += "/" + comps[i];
        auto existing = open_in_root(root_fd, so_far, O_PATH);
        if (existing)
            continue;
        if (existing.error().sys_errno() != ENOENT)
            return std::move(existing).error();
        auto dir = TRY(open_in_root(root_fd, parent, O_DIRECTORY | O_PATH));
        if (last && kind == PathKind::File) {
            int fd = ::openat(dir.get(), comps[i].c_str(), O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
            if (fd < 0 && errno != EEXIST)
                return Error::from_errno("create " + so_far, errno);
            if (fd >= 0)
                ::close(fd);
        } else if (::mkdirat(dir.get(), comps[i].c_str(), 0755) < 0 && errno != EEXIST) {
            return Error::from_errno("mkdir " + so_far, errno);
        }
    }
    return open_in_root(root_fd, path.empty() ? "/" : path, O_PATH);
}

bool is_mount_point(const std::string& path)
{
    auto info = read_file("/proc/self/mountinfo");
    if (!info)
        return false;
    for (std::string_view line : split_lines(*info)) {
        auto f = split_words(line); // id parent major:minor root mount-point …
        if (f.size() >= 5 && f[4] == path)
            return true;
    }
    return false;
}

Result<UniqueFd> clone_tree_from_namespace(const std::string& mntns_path, const std::string& path)
{
    UniqueFd own(::open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC));
    if (!own)
        return Error::from_errno("open /proc/self/ns/mnt", errno);
    UniqueFd other(::open(mntns_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!other)
        return Error::from_errno("open " + mntns_path, errno);
    if (::setns(other.get(), CLONE_NEWNS) < 0)
        return Error::from_errno("setns(2) " + mntns_path, errno);
    UniqueFd tree(::open_tree(AT_FDCWD, path.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
    int err = errno;
    // Back home before anything else, whatever open_tree said.
    if (::setns(own.get(), CLONE_NEWNS) < 0)
        return Error::from_errno("setns(2) back to own mount namespace", errno);
    if (!tree)
        return Error::from_errno("open_tree(2) " + path + " in " + mntns_path, err);
    return tree;
}

Result<void> attach_tree(int tree_fd, int target_fd, const std::string& what)
{
    if (::move_mount(tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return Error::from_errno("move_mount(2) on " + what, errno);
    return ok();
}

} // namespace wharf::sys
