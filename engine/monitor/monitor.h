#pragma once
/// The monitor: one small process per running container (`wharf-monitor <root> <id>`, its
/// own executable, tools/wharf-monitor; detached in its own session). It owns the container for its whole
/// life, on one thread around one Boost.Asio io_context:
///   - spawns the init (runtime.h) after creating its cgroup and asking the network hook,
///   - copies the init's stdout/stderr (or pty) to the json-file log, and to the attached
///     CLI's terminal when there is one, and the CLI's stdin to the container (-i),
///   - reaps it (signal_set on SIGCHLD), records exit code, finish time, OOM kill,
///   - applies the restart policy with Docker's backoff (100 ms doubling to 1 min, reset
///     after a run of 10 s), runs healthchecks on timers,
///   - at the end removes the cgroup, and the container itself when it is `--rm`.
///
/// Status to the starting CLI, one line each on `status_fd`:
///   "S <pid>"            the init runs
///   "E <code> <message>" it could not start (then the monitor exits)
///   "X <code>"           it ended for good (no restart follows)

#include <string>

namespace wharf::engine {

struct MonitorOptions {
    std::string root;   ///< engine state root
    std::string id;     ///< full container ID
    int status_fd = -1;
    int attach_stdin = -1;  ///< the CLI's stdin (-i attached), or -1
    int attach_stdout = -1; ///< the CLI's stdout (attached), or -1
    int attach_stderr = -1;
};

/// Runs the monitor to the end; returns the process exit code for the monitor itself.
int run_monitor(const MonitorOptions& options);

} // namespace wharf::engine
