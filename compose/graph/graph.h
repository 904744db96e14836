#pragma once
/// ServiceGraph: the services of a Project as a dependency graph. An edge `a -> b` means
/// "a needs b": from `depends_on`, `links`, `volumes_from: [b]`, and `network_mode`, `ipc`,
/// `pid: service:b`. Edges to services that are not in the project are dropped when the
/// dependency is `required: false` (and an error otherwise); `container:x` references name
/// no service and make no edge.
///
/// build() rejects cycles with their path: `dependency cycle: api -> worker -> api`.
/// One traversal serves both directions: Direction::Up lists every service after the
/// services it needs (the order of `up`), Direction::Down before them (the order of `down`).
/// Orders are deterministic (ties broken by name). Immutable after build; thread-safe.

#include "compose/model/project.h"
#include "engine/base/result.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace wharf::compose {

/// Why one service needs another. Namespace-sharing kinds need the other's container to
/// exist before this one can even be created.
enum class EdgeKind { DependsOn, Link, VolumesFrom, NetworkMode, Ipc, Pid };
const char* to_string(EdgeKind kind);
/// True for kinds whose dependent is built on the dependency's container (volumes_from,
/// network_mode/ipc/pid service:x): recreating the dependency recreates the dependent.
bool shares_container(EdgeKind kind);

struct Edge {
    std::string from; ///< the dependent
    std::string to;   ///< the dependency
    std::set<EdgeKind> kinds;
    bool operator==(const Edge&) const = default;
};

enum class Direction {
    Up,   ///< dependencies first
    Down, ///< dependents first
};

class ServiceGraph {
public:
    static Result<ServiceGraph> build(const Project& project);

    /// Every service, ordered for `direction`.
    std::vector<std::string> order(Direction direction) const;
    /// Edges leaving `service` (what it needs), sorted by target.
    std::vector<Edge> dependencies(const std::string& service) const;
    /// Edges entering `service` (who needs it), sorted by source.
    std::vector<Edge> dependents(const std::string& service) const;
    /// `roots` plus everything reachable from them following `direction` (Up: what they
    /// need, transitively; Down: who needs them, transitively). Unknown names are ignored.
    std::set<std::string> closure(const std::vector<std::string>& roots, Direction direction) const;
    bool contains(const std::string& service) const { return m_nodes.count(service) > 0; }

private:
    /// Neighbours of `service` for a walk in `direction`: Up visits what it needs.
    const std::map<std::string, Edge>& next(const std::string& service, Direction direction) const;

    std::set<std::string> m_nodes;
    std::map<std::string, std::map<std::string, Edge>> m_out; ///< from -> to -> edge
    std::map<std::string, std::map<std::string, Edge>> m_in;  ///< to -> from -> edge
};

/// The service named by a `service:x` reference (network_mode, ipc, pid), or "".
std::string service_reference(const std::string& value);

} // namespace wharf::compose
