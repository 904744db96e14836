#pragma once
/// Copying between the host and a container, for `cp` and `compose cp`. The container side
/// is reached through /proc/<pid>/root of its init when it runs, else through its overlay
/// mounted in a private mount namespace of a child (the mount vanishes with it); every path
/// on it is resolved with openat2(RESOLVE_IN_ROOT): a symlink inside the container
/// ("/data -> /") resolves inside the container, never onto the host. Docker's destination
/// rules (cp_paths.h): an existing directory receives SRC under its base name ("SRC/."
/// copies the contents), a missing DEST becomes SRC's copy, a directory never overwrites a
/// file.
///
/// Owners and symlinks follow `cp -a` and `cp -L` (CopyOptions). Modes and times are kept.

#include "engine/container/container_store.h"
#include "engine/sys/copy.h"
#include "engine/sys/fd.h"

#include <cstdint>
#include <functional>
#include <string>

namespace wharf::cli {

enum class CopyDirection { FromContainer, ToContainer };

/// `cp -a` and `cp -L`, as Docker's.
struct CopyOptions {
    /// -a: the copies keep the source's uid:gid. Without it they belong to the destination's
    /// user: root (0:0) in the container, the invoking user (getuid:getgid) on the host.
    bool archive = false;
    /// -L: when SRC itself is a symlink, what it points to is copied under SRC's name (a
    /// container SRC resolved inside the container); without it the symlink is copied.
    /// Symlinks below a directory SRC are never followed.
    bool follow_link = false;
};

/// Who owns the copies made in `direction`: empty (the source's owners) with -a.
std::optional<sys::Owner> copy_owner(const CopyOptions& options, CopyDirection direction);

/// The path `cp` reads for SRC (absolute in the container): SRC itself, or with
/// `follow_link` and SRC a symlink, what the chain of symlinks ends at (each target taken
/// from its link's parent, follow_link_path in cp_paths.h). Open it with O_NOFOLLOW: the
/// last component of what is copied is never followed. Errors are openat2's for SRC.
Result<std::string> source_in_root(int root_fd, const std::string& src, bool follow_link);

/// Copies `host_path` into the container at `container_path` (ToContainer) or the other way
/// round; `container_path` is absolute in the container. Returns the bytes copied (what
/// Docker reports as "Successfully copied …"). Errors name the path.
Result<uint64_t> copy_with_container(const engine::ContainerStore& store,
    const engine::ContainerRecord& record, CopyDirection direction, const std::string& host_path,
    const std::string& container_path, const CopyOptions& options = {});

/// Runs `fn` with an O_PATH directory fd of the container's root filesystem: in this process
/// when the container runs; else in a child that mounts the overlay in a private mount
/// namespace (its stdin and stdout are this process's), `fn`'s result reported back.
Result<uint64_t> with_container_root(const engine::ContainerStore& store, const engine::ContainerRecord& record,
                                     const std::function<Result<uint64_t>(int root_fd)>& fn);

} // namespace wharf::cli
