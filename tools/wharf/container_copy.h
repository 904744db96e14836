#pragma once
/// Copying between the host and a container, for `cp` and `compose cp`. The container side
/// is reached through /proc/<pid>/root of its init when it runs, else through its overlay
/// mounted in a private mount namespace of a child (the mount vanishes with it); every path
/// on it is resolved with openat2(RESOLVE_IN_ROOT): a symlink inside the container
/// ("/data -> /") resolves inside the container, never onto the host. Docker's destination
/// rules (cp_paths.h): an existing directory receives SRC under its base name ("SRC/."
/// copies the contents), a missing DEST becomes SRC's copy, a directory never overwrites a
/// file.

#include "engine/container/container_store.h"

#include <cstdint>
#include <functional>
#include <string>

namespace wharf::cli {

enum class CopyDirection { FromContainer, ToContainer };

/// Copies `host_path` into the container at `container_path` (ToContainer) or the other way
/// round; `container_path` is absolute in the container. Returns the bytes copied (what
/// Docker reports as "Successfully copied …"). Errors name the path.
Result<uint64_t> copy_with_container(const engine::ContainerStore& store, const engine::ContainerRecord& record,
                                     CopyDirection direction, const std::string& host_path,
                                     const std::string& container_path);

/// Runs `fn` with an O_PATH directory fd of the container's root filesystem: in this process
/// when the container runs; else in a child that mounts the overlay in a private mount
/// namespace (its stdin and stdout are this process's), `fn`'s result reported back.
Result<uint64_t> with_container_root(const engine::ContainerStore& store, const engine::ContainerRecord& record,
                                     const std::function<Result<uint64_t>(int root_fd)>& fn);

} // namespace wharf::cli
