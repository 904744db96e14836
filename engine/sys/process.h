#pragma once
/// Processes: clone into new namespaces, pidfds, waiting, and ChildProcess (RAII owner of a
/// child: killed and reaped on destruction unless `release()`d).
///
/// clone_process() behaves like fork(): it returns 0 in the child and the pid in the parent.
/// Call it only from a single-threaded process (the monitor, or a fresh fork).

#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <string>
#include <sys/types.h>

namespace wharf::sys {

/// clone3(2) with `ns_flags` (CLONE_NEWNS|…) and SIGCHLD as exit signal; 0 in the child.
/// With `cgroup_fd` (a cgroup v2 directory), the child starts in that cgroup (CLONE_INTO_CGROUP).
Result<pid_t> clone_process(unsigned long ns_flags, int cgroup_fd = -1);
/// pidfd_open(2): a handle that stays valid even if the pid is reused.
Result<UniqueFd> pidfd_open(pid_t pid);
/// pidfd_send_signal(2); ESRCH (already gone) is reported as NotFound.
Result<void> pidfd_kill(int pidfd, int sig);
/// Waits until the process behind `pidfd` exits or `timeout_ms` passes (-1 = forever).
/// Returns true when it exited.
Result<bool> pidfd_wait_exit(int pidfd, int timeout_ms);
/// waitpid(2), retrying EINTR. With WNOHANG a 0 result means "still running".
Result<pid_t> wait_pid(pid_t pid, int* status, int options);
/// Docker's exit code from a wait status: the exit status, or 128 + signal.
int exit_code_from_status(int status);

/// A child of this process. Destruction SIGKILLs and reaps it unless released or waited.
class ChildProcess {
public:
    ChildProcess() = default;
    explicit ChildProcess(pid_t pid) : m_pid(pid) {}
    ChildProcess(ChildProcess&& o) noexcept : m_pid(o.release()) {}
    ChildProcess& operator=(ChildProcess&& o) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    pid_t pid() const { return m_pid; }
    /// Blocks until it exits; returns Docker's exit code (see exit_code_from_status).
    Result<int> wait();
    pid_t release();

private:
    pid_t m_pid = -1;
};

/// Facts about any process from /proc.
/// Start time in clock ticks since boot (field 22 of /proc/PID/stat); 0 when gone.
unsigned long long process_start_time(pid_t pid);
/// True when `pid` runs and (if start_time != 0) is the same process as recorded.
bool process_alive(pid_t pid, unsigned long long start_time = 0);
/// True when the process has a handler installed for `sig` (SigCgt in /proc/PID/status).
bool process_catches_signal(pid_t pid, int sig);

/// Signal names as Docker takes them: "SIGTERM", "TERM", "15". -1 when unknown.
int signal_from_name(const std::string& name);

} // namespace wharf::sys
