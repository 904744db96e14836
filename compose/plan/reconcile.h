#pragma once
/// The reconciler: desired Project + ObservedState → Plan. Pure (no I/O, no clock), so
/// every decision is a golden-text unit test. Decisions, per service in dependency order:
///
///   network/volume missing            create it (externals must exist: error otherwise)
///   no container for replica N        create + start
///   config hash differs               recreate (stop, remove, create, start), the cause
///                                     naming the changed fields ("config changed: command")
///   image ID differs                  recreate ("image changed")
///   its network/volume is created     recreate (the old one cannot be attached to it)
///   a dependency it shares a
///   namespace/volumes with recreates  recreate
///   its network's config hash differs recreate the network: stop and remove every project
///                                     container attached, remove, create, then recreate
///                                     them ("network default: driver_opts changed");
///                                     externals and unlabelled networks are left alone
///   a `restart: true` dependency
///   recreates                         restart (stop + start)
///   stopped, otherwise up to date     start
///   more containers than replicas     stop + remove the highest numbers ("scale down")
///   containers of unknown services    orphans: warned about, or removed (--remove-orphans)
/// Each start waits for its depends_on conditions as Wait steps; `--wait` adds a Ready wait
/// per service. Containers hashed with another kConfigHashVersion are compared field by
/// field, so an upgrade of wharf alone recreates nothing.

#include "compose/graph/graph.h"
#include "compose/plan/observed.h"
#include "compose/plan/plan.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wharf::compose {

enum class RecreatePolicy { Diverged, Force, Never };

struct UpOptions {
    std::vector<std::string> services;       ///< services named on the command line (empty: all)
    bool no_deps = false;                    ///< do not bring up what they depend on
    RecreatePolicy recreate = RecreatePolicy::Diverged;
    bool remove_orphans = false;
    std::map<std::string, int64_t> scale;    ///< --scale svc=N
    bool no_start = false;                   ///< create only (`create`, `up --no-start`)
    bool wait = false;                       ///< `--wait`: Ready waits at the end
    std::optional<int> timeout;              ///< -t: stop timeout for recreates
    /// `-V`: a recreated container gets new anonymous volumes instead of its predecessor's,
    /// which are removed with it.
    bool renew_anon_volumes = false;
    std::string tool_version = "wharf";      ///< com.docker.compose.version label
};

Result<Plan> reconcile(const Project& project, const ServiceGraph& graph, const ObservedState& observed,
                       const UpOptions& options);

struct DownOptions {
    std::vector<std::string> services;       ///< `stop`/`rm` style selection (empty: all)
    bool remove_orphans = false;
    bool volumes = false;                    ///< -v: named (never external) and anonymous volumes
    bool keep_networks = false;              ///< only containers (used by `rm`-like callers)
    bool stop_only = false;                  ///< stop, remove nothing (`stop`, Ctrl+C of `up`)
    std::optional<int> timeout;
};

/// `down`: stop every container of the project, dependents first, remove them, then the
/// project's networks (and volumes with -v). Externals are never removed.
Plan plan_down(const Project& project, const ServiceGraph& graph, const ObservedState& observed,
               const DownOptions& options);

/// Label value of `key` on `record`, or "".
std::string label_of(const engine::ContainerRecord& record, const std::string& key);
/// The replica number from the container-number label (0 when missing or bad).
int container_number(const engine::ContainerRecord& record);
/// Whether the record is a one-off (`run`) container.
bool is_oneoff(const engine::ContainerRecord& record);

} // namespace wharf::compose
