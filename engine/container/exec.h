#pragma once
/// Running an extra process inside a running container (`wharf exec`, healthcheck probes).
///
/// exec_in_container() forks a helper that joins the init's cgroup and namespaces (one
/// setns(2) on its pidfd), forks again so the process is inside the pid namespace, and execs
/// there with the container's environment (plus `env`), user and working directory (unless
/// overridden) and capabilities. The helper waits for the process and exits with its code,
/// so waiting on the returned child gives the process's exit code. Setup or exec failures
/// are returned as an Error with Docker's exit code (126/127) in `failure_exit_code`.

#include "engine/container/container_store.h"
#include "engine/sys/process.h"

#include <string>
#include <vector>

namespace wharf::engine {

struct ExecSpec {
    std::vector<std::string> argv;
    std::vector<std::string> env; ///< KEY=VALUE added to (or replacing in) the container's
    std::string user;             ///< "" = the container's
    std::string working_dir;      ///< "" = the container's
    bool tty = false;             ///< stdio is a terminal: become its session leader
    bool privileged = false;
    int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
};

Result<sys::ChildProcess> exec_in_container(const ContainerStore& store, const ContainerRecord& record,
                                            const ExecSpec& spec, int* failure_exit_code);

} // namespace wharf::engine
