#pragma once
/// A RUN step as a short-lived container of the container runtime (ContainerEngine): the
/// same monitor, namespaces, cgroup, capabilities and user handling as `wharf run`, so a
/// step behaves exactly like the container the built image will later run in.
///
///   create   a record with the step's lower dirs as its layers (no image ID), argv as Cmd,
///            the stage's env/user/workdir, hostname "buildkitsandbox", network "none" or
///            "host", labels `wharf.build.step=true` (ps -a shows it while it runs, as
///            Docker's classic builder showed its intermediate containers) and
///            `wharf.build.owner=<pid>:<start time>` of the building process
///   start    attached: stdout and stderr go to one pipe, each chunk to `spec.output`
///   wait     for the final status; SIGINT/SIGTERM/SIGHUP meanwhile kill the step
///            (SIGKILL) and the call fails with Errc::Interrupted (handlers, not a blocked
///            mask: the monitor forked meanwhile must not inherit blocked signals)
///   collect  the container's overlay upper dir (host-visible under the container's dir,
///            the overlay itself lived only in the container's mount namespace) is renamed
///            onto the empty `spec.upper_dir`, the builder's step dir
///   remove   the container, always, whatever happened before
///
/// Returns the exit code of the step's process (Docker's: 128+signal when killed). A
/// process that could not start at all (`exec: "x": executable file not found in $PATH`)
/// is an error naming the container runtime's reason, not an exit code.
/// Needs root. Blocks. Thread-safe: steps may run on several threads at once (while any
/// runs, process-wide handlers for SIGINT/SIGTERM/SIGHUP are installed; the old ones are
/// restored after the last).

#include "engine/base/result.h"
#include "engine/build/backend.h"

#include <string>

namespace wharf::engine::build {

struct StepContainerOptions {
    std::string state_root; ///< the engine root (containers live in <root>/containers)
    std::string wharf_binary; ///< the binary the monitor runs from; "" = this executable
};

Result<int> run_step_container(const RunSpec& spec, const StepContainerOptions& options);

/// Removes the step containers of builds whose process is gone (SIGKILLed mid-step): the
/// only way one can outlive its build. Best effort; errors are ignored.
void sweep_build_containers(const std::string& state_root, const std::string& wharf_binary);

} // namespace wharf::engine::build
