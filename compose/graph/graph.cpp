#include "compose/graph/graph.h"

#include <algorithm>
#include <functional>
#include <optional>

namespace wharf::compose {

const char* to_string(EdgeKind kind)
{
    switch (kind) {
    case EdgeKind::DependsOn: return "depends_on";
    case EdgeKind::Link: return "links";
    case EdgeKind::VolumesFrom: return "volumes_from";
    case EdgeKind::NetworkMode: return "network_mode";
    case EdgeKind::Ipc: return "ipc";
    case EdgeKind::Pid: return "pid";
    }
    return "?";
}

bool shares_container(EdgeKind kind)
{
    return kind == EdgeKind::VolumesFrom || kind == EdgeKind::NetworkMode || kind == EdgeKind::Ipc ||
           kind == EdgeKind::Pid;
}

std::string service_reference(const std::string& value)
{
    return value.rfind("service:", 0) == 0 ? value.substr(8) : std::string();
}

namespace {

// `links: [db:database]` and `volumes_from: [db:ro]` name the service before the colon;
// `volumes_from: [container:x]` names a container, not a service.
std::string before_colon(const std::string& s) { return s.substr(0, s.find(':')); }

const std::map<std::string, Edge> kNoEdges;

} // namespace

const std::map<std::string, Edge>& ServiceGraph::next(const std::string& service, Direction direction) const
{
    const auto& side = direction == Direction::Up ? m_out : m_in;
    auto it = side.find(service);
    return it == side.end() ? kNoEdges : it->second;
}

Result<ServiceGraph> ServiceGraph::build(const Project& project)
{
    ServiceGraph g;
    for (const auto& [name, _] : project.services)
        g.m_nodes.insert(name);
    auto add = [&](const std::string& from, const std::string& to, EdgeKind kind, bool required) -> Result<void> {
        if (!g.m_nodes.count(to)) {
            if (!required)
                return ok();
            return Error(Errc::Invalid, "service \"" + from + "\" " + (kind == EdgeKind::DependsOn ? "depends on" : std::string(to_string(kind)) + " refers to") +
                                            " undefined service \"" + to + "\"");
        }
        auto& e = g.m_out[from][to];
        e.from = from;
        e.to = to;
        e.kinds.insert(kind);
        g.m_in[to][from] = e;
        return ok();
    };
    for (const auto& [name, s] : project.services) {
        for (const auto& [dep, d] : s.depends_on)
            TRY(add(name, dep, EdgeKind::DependsOn, d.required));
        for (const auto& l : s.links)
            TRY(add(name, before_colon(l), EdgeKind::Link, true));
        for (const auto& v : s.volumes_from)
            if (v.rfind("container:", 0) != 0)
                TRY(add(name, before_colon(v), EdgeKind::VolumesFrom, true));
        if (auto r = service_reference(s.network_mode); !r.empty())
            TRY(add(name, r, EdgeKind::NetworkMode, true));
        if (auto r = service_reference(s.ipc); !r.empty())
            TRY(add(name, r, EdgeKind::Ipc, true));
        if (auto r = service_reference(s.pid); !r.empty())
            TRY(add(name, r, EdgeKind::Pid, true));
    }

    // Depth-first search for a back edge; the stack holds the path that closes the cycle.
    enum class Mark { New, Active, Done };
    std::map<std::string, Mark> mark;
    std::vector<std::string> stack;
    std::function<std::optional<std::string>(const std::string&)> visit =
        [&](const std::string& n) -> std::optional<std::string> {
        mark[n] = Mark::Active;
        stack.push_back(n);
        for (const auto& [to, _] : g.next(n, Direction::Up)) {
            if (mark[to] == Mark::Active) {
                std::string path;
                auto start = std::find(stack.begin(), stack.end(), to);
                for (auto it = start; it != stack.end(); ++it)
                    path += *it + " -> ";
                return path + to;
            }
            if (mark[to] == Mark::New)
                if (auto c = visit(to))
                    return c;
        }
        stack.pop_back();
        mark[n] = Mark::Done;
        return std::nullopt;
    };
    for (const auto& n : g.m_nodes)
        if (mark[n] == Mark::New)
            if (auto cycle = visit(n))
                return Error(Errc::Invalid, "dependency cycle: " + *cycle);
    return g;
}

std::vector<std::string> ServiceGraph::order(Direction direction) const
{
    // Kahn's algorithm: a service is ready once everything it waits for in this direction
    // has been emitted; the smallest ready name goes first.
    std::map<std::string, size_t> waiting;
    std::set<std::string> ready;
    for (const auto& n : m_nodes) {
        waiting[n] = next(n, direction).size();
        if (waiting[n] == 0)
            ready.insert(n);
    }
    Direction back = direction == Direction::Up ? Direction::Down : Direction::Up;
    std::vector<std::string> out;
    while (!ready.empty()) {
        std::string n = *ready.begin();
        ready.erase(ready.begin());
        out.push_back(n);
        for (const auto& [m, _] : next(n, back))
            if (--waiting[m] == 0)
                ready.insert(m);
    }
    return out;
}

std::vector<Edge> ServiceGraph::dependencies(const std::string& service) const
{
    std::vector<Edge> out;
    for (const auto& [_, e] : next(service, Direction::Up))
        out.push_back(e);
    return out;
}

std::vector<Edge> ServiceGraph::dependents(const std::string& service) const
{
    std::vector<Edge> out;
    for (const auto& [_, e] : next(service, Direction::Down))
        out.push_back(e);
    return out;
}

std::set<std::string> ServiceGraph::closure(const std::vector<std::string>& roots, Direction direction) const
{
    std::set<std::string> seen;
    std::vector<std::string> pending;
    for (const auto& r : roots)
        if (m_nodes.count(r))
            pending.push_back(r);
    while (!pending.empty()) {
        std::string n = pending.back();
        pending.pop_back();
        if (!seen.insert(n).second)
            continue;
        for (const auto& [m, _] : next(n, direction))
            pending.push_back(m);
    }
    return seen;
}

} // namespace wharf::compose
