#pragma once
/// The runtime proper: turns a ContainerRecord into an InitPlan, writes the files bound into
/// the container (/etc/hosts, /etc/hostname, /etc/resolv.conf), and spawns the init.
/// Called by the monitor, a single-threaded process (see init.h for the child's side).

#include "engine/container/container_store.h"
#include "engine/container/init.h"
#include "engine/container/network_hook.h"
#include "engine/sys/process.h"

#include <functional>

namespace wharf::engine {

struct ContainerPaths {
    std::string dir, upper, work, merged, hosts, hostname, resolv, log;
};
ContainerPaths container_paths(const ContainerStore& store, const std::string& id);

/// Creates the overlay dirs and computes the plan (argv, env, mounts, capabilities). Volume
/// sources must exist (ContainerEngine::create made them).
Result<InitPlan> prepare_init(const ContainerStore& store, const ContainerRecord& record);

/// Writes the hosts/hostname/resolv.conf sources from the record and the network setup.
Result<void> write_etc_files(const ContainerPaths& paths, const ContainerRecord& record, const NetworkSetup& net);

/// Why a spawn failed: the error and Docker's exit code for it (125 for wharf's own
/// failures before the init ran, 126/127/128 for the init's).
struct SpawnFailure {
    Error error;
    int exit_code;
};

/// Clones the init (blocked; into plan.cgroup on v2), calls `before_release(pid)` (network,
/// /etc files), releases it and waits until it exec'd or failed. On success returns the
/// child, owned by the caller.
Result<sys::ChildProcess> spawn_init(const InitPlan& plan, const std::function<Result<void>(pid_t)>& before_release,
                                     int* failure_exit_code);

/// The cgroup name of a container: "wharf/<id>".
std::string cgroup_name(const std::string& id);

} // namespace wharf::engine
