#pragma once
/// What every state-changing `compose` verb starts from: the loaded project, its service
/// graph and the engine seam — and the one way to run a plan with progress lines
/// (`--dry-run`: print the plan instead). Not thread-safe.

#include "compose/execute/engine.h"
#include "compose/execute/executor.h"
#include "compose/graph/graph.h"
#include "compose/plan/reconcile.h"
#include "tools/wharf/compose_progress.h"
#include "tools/wharf/compose_project.h"

#include <chrono>
#include <memory>
#include <optional>

namespace wharf::cli {

struct ComposeSession {
    compose::LoadedProject loaded;
    std::optional<compose::ServiceGraph> graph;
    std::unique_ptr<compose::ComposeEngine> engine;
    const compose::Project& project() const { return loaded.project; }

    static Result<ComposeSession> open(const Context& ctx, const ComposeLoadRequest& request = {});
    Result<compose::ObservedState> observe() { return compose::observe(*engine, project()); }
};

struct ApplyOptions {
    bool dry_run = false;
    std::optional<std::chrono::milliseconds> wait_timeout;
    std::string progress = "auto";
    int parallelism = 8;
};

/// Preflight (when the plan creates containers), then execute with progress; warnings of
/// the plan first. With dry_run: the plan's text on stdout, nothing done.
Result<void> apply_plan(ComposeSession& session, const compose::Plan& plan, const compose::ObservedState& observed,
                        const ApplyOptions& options);

/// Exit code for a compose error: 1, as docker compose (130 when interrupted).
int compose_exit_code(const Error& error);

/// The wharf version for the com.docker.compose.version label.
std::string compose_tool_version();

/// Services named on the command line that the project does not define: NotFound
/// "no such service: x".
Result<void> check_services(const compose::Project& project, const std::vector<std::string>& services);

/// The session of a verb that reads the project (ps, logs, top, …): opened without printing
/// the loader's warnings, and with every service in `services` checked to exist.
Result<ComposeSession> open_for_services(const Context& ctx, const std::vector<std::string>& services);

/// This project's service containers (not one-offs) for `services` (empty: all), sorted by
/// service then number.
Result<std::vector<engine::ContainerRecord>> service_containers(ComposeSession& session,
                                                                const std::vector<std::string>& services,
                                                                bool include_oneoff = false);

} // namespace wharf::cli
