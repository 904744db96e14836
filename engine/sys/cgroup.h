#pragma once
/// Cgroup: one container's cgroup, on cgroup v2 (/sys/fs/cgroup/wharf/<id>) or on every v1
/// hierarchy wharf uses (/sys/fs/cgroup/<controller>/wharf/<id>). Hybrid hosts (v1
/// controllers plus a cgroup2 mount holding no useful controller) are treated as v1.
///
/// create() makes the directories and writes the limits; a limit the host cannot apply
/// (no swap accounting) is skipped, any other write failure is an error naming the file.
/// The object does not remove the cgroup on destruction: the monitor owns its lifetime and
/// calls destroy(); a later command can rebuild the handle with open() to clean up.

#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace wharf::sys {

struct CgroupLimits {
    int64_t memory = 0;       ///< bytes; 0 = unlimited
    int64_t memory_swap = 0;  ///< memory + swap in bytes; 0 = default, -1 = unlimited
    int64_t cpu_quota_us = 0; ///< per 100 ms period; 0 = unlimited
    int64_t cpu_shares = 0;   ///< 0 = default
    int64_t pids = 0;         ///< 0 = unlimited
};

class Cgroup {
public:
    /// True on a unified (v2-only) host.
    static bool host_is_v2();
    static Result<Cgroup> create(const std::string& name, const CgroupLimits& limits);
    /// A handle on an existing (or already removed) cgroup `name`, for cleanup.
    static Cgroup open(const std::string& name);
    /// A handle on cgroup `name` of the v2 hierarchy mounted at `mount`, whatever the host's
    /// layout: for tests of the v2 paths on hybrid hosts, whose cgroup2 mount
    /// (/sys/fs/cgroup/unified) has no controllers but moves, freezes and kills as v2 does.
    static Cgroup open_unified_at(const std::string& mount, const std::string& name);

    Result<void> add(pid_t pid) const;
    /// Moves the calling process, which must be single-threaded, into this cgroup. On v1 it
    /// writes 0 to each hierarchy's `tasks`: a move of the calling thread, which the kernel
    /// makes without the global threadgroup lock that add() takes — whose RCU grace period
    /// costs 7–15 ms of every container start here. On v2 it writes cgroup.procs (spawn
    /// with CLONE_INTO_CGROUP instead: dir_fd()).
    Result<void> join_self() const;
    /// True on v2, where a child is best cloned straight into the cgroup (dir_fd()).
    bool unified() const { return m_v2; }
    /// An O_PATH|O_DIRECTORY descriptor of the v2 cgroup directory, for clone3's
    /// CLONE_INTO_CGROUP.
    Result<UniqueFd> dir_fd() const;
    std::vector<pid_t> pids() const;
    /// SIGKILLs every member (cgroup.kill on v2; one by one on v1).
    void kill_all() const;
    /// Freezes every member, as `docker pause` (v2: cgroup.freeze; v1: the freezer
    /// controller's freezer.state). Returns once the kernel reports the group frozen — a v1
    /// group passes through FREEZING while members leave uninterruptible sleeps — or fails
    /// after ~5 s, thawing again so no half-frozen group is left. Sys error without a
    /// freezer.
    Result<void> freeze() const;
    /// Thaws the group; a group that is not frozen (or no longer exists) is fine.
    Result<void> thaw() const;
    /// True while the group is frozen (or freezing).
    bool frozen() const;
    /// True when the kernel OOM-killed a member.
    bool oom_killed() const;
    /// Kills what is left and removes the directories; missing ones are fine.
    Result<void> destroy() const;
    /// The directories making up this cgroup (one on v2).
    const std::vector<std::string>& paths() const { return m_paths; }
    /// The directory holding `file` (e.g. "memory.limit_in_bytes"), for tests and limits.
    std::string path_of(const std::string& controller) const;

private:
    bool m_v2 = false;
    std::vector<std::string> m_paths;
};

} // namespace wharf::sys
