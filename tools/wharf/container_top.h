#pragma once
/// The process table of a container as `docker top` shows it: for its init's pid namespace
/// the members of its cgroup, as `ps -ef` columns (UID PID PPID C STIME TTY TIME CMD) read
/// from /proc, or — with ps options (`top c aux`) — the host's ps(1) run with them and
/// filtered by PID, as Docker does. Shared by `top` and `compose top`.

#include "engine/api/container.h"
#include "engine/base/result.h"

#include <string>
#include <vector>

namespace wharf::cli {

/// Tab-separated lines, the titles first (align them with align_columns()). Conflict
/// "container <id> is not running" unless it runs (or is paused: ps works on frozen tasks).
Result<std::string> container_top(const engine::ContainerRecord& record, const std::vector<std::string>& ps_args);

} // namespace wharf::cli
