#pragma once
/// Mount syscalls, each naming the call, the type and the target in its error:
///   mount(2) overlay on /var/lib/wharf/containers/…/merged: Invalid argument
///
/// Paths inside a container rootfs are resolved through a directory fd with
/// openat2(RESOLVE_IN_ROOT), so a symlink in an image can never point a mount at the host.

#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <string>

namespace wharf::sys {

Result<void> mount(const std::string& source, const std::string& target, const std::string& fstype,
                   unsigned long flags, const std::string& data = {});
Result<void> umount(const std::string& target, int flags = 0);
/// pivot_root(".", ".") inside `new_root`, then detaches the old root (crun/runc's trick).
Result<void> pivot_into(const std::string& new_root);
/// Makes the mount at `target` (and below) read-only, recursively (mount_setattr(2)).
Result<void> make_readonly_recursive(const std::string& target);
/// Remounts a bind mount read-only, keeping its nosuid/nodev/noexec flags.
Result<void> remount_bind_readonly(const std::string& target);

enum class PathKind { Directory, File };

/// Opens `path` (absolute, interpreted inside `root_fd`) as O_PATH, creating missing
/// directories (mode 0755) and, for PathKind::File, an empty last component. Returns the fd;
/// `/proc/self/fd/N` of it is the safe mount target.
Result<UniqueFd> ensure_in_root(int root_fd, const std::string& path, PathKind kind);
/// Opens an existing path inside `root_fd`; NotFound when missing.
Result<UniqueFd> open_in_root(int root_fd, const std::string& path, int flags);
/// "/proc/self/fd/N" for an fd.
std::string fd_path(int fd);
/// The mount flags (MS_RDONLY, MS_NOSUID, …) of the mount holding `path` (statvfs).
Result<unsigned long> mount_flags_of(const std::string& path);

/// A detached copy (open_tree(2) OPEN_TREE_CLONE, recursive) of the mount tree at `path` in
/// the mount namespace `mntns_path` ("/proc/<pid>/ns/mnt"), taken from inside that
/// namespace: a bind mount cannot name a path of another mount namespace. The caller
/// enters it with setns(2) and returns to its own, so it must be single-threaded and have
/// its own fs_struct (a cloned child between clone and exec); its root and working
/// directory are reset to its namespace's root on return.
Result<UniqueFd> clone_tree_from_namespace(const std::string& mntns_path, const std::string& path);
/// Attaches a detached tree (clone_tree_from_namespace) on the O_PATH fd `target_fd`
/// (move_mount(2)); `what` names the target in errors.
Result<void> attach_tree(int tree_fd, int target_fd, const std::string& what);

/// True when `path` is a mount point in this process's mount namespace (/proc/self/mountinfo).
bool is_mount_point(const std::string& path);

} // namespace wharf::sys
