#include "compose/graph/graph.h"
#include "tests/compose/loader/load_helper.h"

#include <doctest/doctest.h>

using namespace wharf::compose;
using wharf::compose::test::project;

namespace {

std::string joined(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : " ") + x;
    return s;
}

ServiceGraph graph_of(const std::string& yaml)
{
    auto g = ServiceGraph::build(project(yaml));
    if (!g)
        FAIL(g.error().summary());
    return *g;
}

std::string cycle_of(const std::string& yaml)
{
    auto g = ServiceGraph::build(project(yaml));
    REQUIRE_FALSE(g);
    return g.error().summary();
}

} // namespace

TEST_SUITE("compose.graph") {

TEST_CASE("Graph_OrdersDependenciesFirstUpAndLastDown")
{
    auto g = graph_of(R"(
services:
  web: {image: x, depends_on: [api]}
  api: {image: x, depends_on: {db: {condition: service_healthy}}}
  db: {image: x}
  cache: {image: x}
)");
    CHECK(joined(g.order(Direction::Up)) == "cache db api web");
    CHECK(joined(g.order(Direction::Down)) == "cache web api db");
}

TEST_CASE("Graph_EdgesFromEveryReferenceKind")
{
    auto g = graph_of(R"(
services:
  a: {image: x, links: ["b:bee"], volumes_from: ["c:ro", "container:other"], network_mode: "service:d", ipc: "service:e", pid: "service:f"}
  b: {image: x}
  c: {image: x}
  d: {image: x}
  e: {image: x}
  f: {image: x}
)");
    auto deps = g.dependencies("a");
    REQUIRE(deps.size() == 5);
    CHECK(deps[0].to == "b");
    CHECK(deps[0].kinds == std::set<EdgeKind>{EdgeKind::Link});
    CHECK(deps[1].kinds == std::set<EdgeKind>{EdgeKind::VolumesFrom});
    CHECK(deps[2].kinds == std::set<EdgeKind>{EdgeKind::NetworkMode});
    CHECK(deps[3].kinds == std::set<EdgeKind>{EdgeKind::Ipc});
    CHECK(deps[4].kinds == std::set<EdgeKind>{EdgeKind::Pid});
    CHECK(shares_container(EdgeKind::NetworkMode));
    CHECK_FALSE(shares_container(EdgeKind::DependsOn));
    CHECK(g.dependents("b").size() == 1);
    CHECK(g.dependents("b")[0].from == "a");
    CHECK(joined(g.order(Direction::Up)) == "b c d e f a");
}

TEST_CASE("Graph_TwoKindsBetweenTheSamePairMakeOneEdge")
{
    auto g = graph_of("services:\n  a: {image: x, depends_on: [b], links: [b]}\n  b: {image: x}\n");
    auto deps = g.dependencies("a");
    REQUIRE(deps.size() == 1);
    CHECK(deps[0].kinds == std::set<EdgeKind>{EdgeKind::DependsOn, EdgeKind::Link});
    CHECK(g.dependents("b")[0].kinds == deps[0].kinds);
}

TEST_CASE("Graph_CycleIsReportedWithItsPath")
{
    // The loader rejects depends_on cycles itself (with their position); the graph must
    // still catch any it is handed.
    Project p = project("services:\n  api: {image: x, depends_on: [worker]}\n  worker: {image: x}\n");
    p.services["worker"].depends_on["api"] = ServiceDependency{};
    auto g = ServiceGraph::build(p);
    REQUIRE_FALSE(g);
    CHECK(g.error().summary() == "dependency cycle: api -> worker -> api");
    CHECK(cycle_of(R"(
services:
  a: {image: x, depends_on: [b]}
  b: {image: x, links: [c]}
  c: {image: x, network_mode: "service:b"}
)") == "dependency cycle: b -> c -> b");
}

TEST_CASE("Graph_SelfReferenceIsACycle")
{
    CHECK(cycle_of("services:\n  a: {image: x, volumes_from: [a]}\n") == "dependency cycle: a -> a");
}

TEST_CASE("Graph_OptionalDependencyOnMissingServiceMakesNoEdge")
{
    auto g = graph_of(R"(
services:
  web: {image: x, depends_on: {metrics: {condition: service_started, required: false}}}
)");
    CHECK(g.dependencies("web").empty());
    CHECK(joined(g.order(Direction::Up)) == "web");
}

TEST_CASE("Graph_ClosureFollowsTheDirection")
{
    auto g = graph_of(R"(
services:
  web: {image: x, depends_on: [api]}
  api: {image: x, depends_on: [db]}
  db: {image: x}
  other: {image: x}
)");
    CHECK(g.closure({"api"}, Direction::Up) == std::set<std::string>{"api", "db"});
    CHECK(g.closure({"api"}, Direction::Down) == std::set<std::string>{"api", "web"});
    CHECK(g.closure({"nope"}, Direction::Up).empty());
}

TEST_CASE("Graph_ServiceReference")
{
    CHECK(service_reference("service:db") == "db");
    CHECK(service_reference("container:db") == "");
    CHECK(service_reference("host") == "");
}

} // TEST_SUITE
