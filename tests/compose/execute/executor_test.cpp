#include "compose/execute/condition.h"
#include "compose/execute/executor.h"
#include "compose/execute/preflight.h"
#include "compose/plan/reconcile.h"
#include "tests/compose/loader/load_helper.h"
#include "tests/support/fake_compose_engine.h"

#include <algorithm>
#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::compose;
using namespace std::chrono_literals;
using wharf::compose::test::FakeClock;
using wharf::compose::test::FakeComposeEngine;

namespace {

struct Run {
    FakeClock clock;
    FakeComposeEngine engine{clock};
    Project project;
    std::vector<std::string> events;

    explicit Run(const std::string& yaml) : project(test::project(yaml))
    {
        engine.add_image("localhost/busybox:latest", "sha256:1");
    }
    Result<Plan> plan(const UpOptions& o = {})
    {
        auto g = ServiceGraph::build(project);
        REQUIRE(g);
        auto observed = observe(engine, project);
        REQUIRE(observed);
        return reconcile(project, *g, *observed, o);
    }
    Result<void> up(const UpOptions& o = {}, ExecuteOptions eo = {})
    {
        auto p = plan(o);
        REQUIRE(p);
        auto observed = observe(engine, project);
        REQUIRE(observed);
        TRY(preflight(*p, *observed, engine));
        eo.project = project.name;
        eo.on_event = [this](const StepEvent& e) {
            const char* k[] = {"began", "done", "failed", "skipped", "warning"};
            events.push_back(std::string(k[static_cast<int>(e.kind)]) + " " + describe(*e.step) +
                             (e.text.empty() ? "" : ": " + e.text));
        };
        return execute(*p, engine, clock, eo);
    }
};

const char* kChain = R"(
name: app
services:
  web:
    image: localhost/busybox:latest
    depends_on:
      api: {condition: service_healthy}
  api:
    image: localhost/busybox:latest
    healthcheck: {test: ["CMD", "true"]}
    depends_on:
      migrate: {condition: service_completed_successfully}
  migrate:
    image: localhost/busybox:latest
)";

size_t index_of(const std::vector<std::string>& v, const std::string& x)
{
    auto it = std::find(v.begin(), v.end(), x);
    REQUIRE_MESSAGE(it != v.end(), x);
    return static_cast<size_t>(it - v.begin());
}

engine::ContainerRecord record(engine::ContainerStatus s, int code = 0, std::string health = "")
{
    engine::ContainerRecord r;
    r.config.name = "p-x-1";
    r.state.status = s;
    r.state.exit_code = code;
    r.state.health.status = std::move(health);
    return r;
}

} // namespace

TEST_SUITE("compose.execute") {

TEST_CASE("Executor_StartsEachServiceOnceItsConditionHolds")
{
    Run r(kChain);
    r.engine.set_behaviour("app-migrate-1", test::exits_after(2s, 0));
    r.engine.set_behaviour("app-api-1", test::health_after(3s, "healthy"));
    REQUIRE(r.up());
    auto calls = r.engine.calls();
    CHECK(index_of(calls, "start app-migrate-1") < index_of(calls, "start app-api-1"));
    CHECK(index_of(calls, "start app-api-1") < index_of(calls, "start app-web-1"));
    // The fake clock moved on only while waiting: 2 s for migrate, 3 s for api.
    CHECK(r.clock.now().time_since_epoch() >= 5s);
    CHECK(r.clock.now().time_since_epoch() < 6s);
}

TEST_CASE("Executor_UnhealthyDependencyStopsTheWalkNamingTheService")
{
    Run r(kChain);
    r.engine.set_behaviour("app-migrate-1", test::exits_after(0ms, 0));
    r.engine.set_behaviour("app-api-1", test::health_after(1s, "unhealthy"));
    auto res = r.up();
    REQUIRE_FALSE(res);
    CHECK(res.error().summary() == "service \"api\": dependency failed: container app-api-1 is unhealthy");
    auto names = r.engine.container_names();
    // web was never started (created, maybe: creates do not wait for conditions).
    auto calls = r.engine.calls();
    CHECK(std::find(calls.begin(), calls.end(), "start app-web-1") == calls.end());
    CHECK(std::find(r.events.begin(), r.events.end(), "skipped start container app-web-1") != r.events.end());
}

TEST_CASE("Executor_FailedOneShotFailsItsDependents")
{
    Run r(kChain);
    r.engine.set_behaviour("app-migrate-1", test::exits_after(1s, 3));
    auto res = r.up();
    REQUIRE_FALSE(res);
    CHECK(res.error().summary() ==
          "service \"migrate\": dependency failed: container app-migrate-1 didn't complete successfully: exit 3");
}

TEST_CASE("Executor_StartFailureIsReportedWithItsService")
{
    Run r(kChain);
    r.engine.set_behaviour("app-migrate-1", test::start_fails("exec: \"nope\": executable file not found"));
    auto res = r.up();
    REQUIRE_FALSE(res);
    CHECK(res.error().summary() ==
          "service \"migrate\": start container \"app-migrate-1\": exec: \"nope\": executable file not found");
}

TEST_CASE("Executor_WaitTreatsCompletedOneShotsAsDone")
{
    Run r(kChain);
    r.engine.set_behaviour("app-migrate-1", test::exits_after(1s, 0));
    UpOptions o;
    o.wait = true;
    REQUIRE(r.up(o));
    CHECK(std::find(r.events.begin(), r.events.end(), "done wait for migrate ready") != r.events.end());
}

TEST_CASE("Executor_WaitTimeoutNamesTheService")
{
    Run r(kChain);
    r.engine.set_behaviour("app-migrate-1", test::exits_after(0ms, 0));
    r.engine.set_behaviour("app-api-1", test::health_after(1h, "healthy"));
    UpOptions o;
    o.wait = true;
    o.services = {"api"};
    ExecuteOptions eo;
    eo.wait_timeout = 5s;
    auto res = r.up(o, eo);
    REQUIRE_FALSE(res);
    CHECK(res.error().summary() == "service \"api\": not ready after 5s (--wait-timeout)");
}

TEST_CASE("Executor_ParallelismIsBounded")
{
    std::string yaml = "name: many\nservices:\n";
    for (int i = 0; i < 12; ++i)
        yaml += "  s" + std::to_string(i) + ": {image: localhost/busybox:latest}\n";
    Run r(yaml);
    ExecuteOptions eo;
    eo.parallelism = 3;
    REQUIRE(r.up({}, eo));
    CHECK(r.engine.container_names().size() == 12);
    CHECK(r.engine.max_concurrency() <= 3);
    CHECK(r.engine.max_concurrency() >= 2);
}

TEST_CASE("Preflight_TakenPortFailsBeforeAnythingIsCreated")
{
    Run r("name: p\nservices:\n  web: {image: localhost/busybox:latest, ports: [\"8080:80\"]}\n");
    r.engine.hold_port(8080, "pid 42 \"nginx\"");
    auto res = r.up();
    REQUIRE_FALSE(res);
    CHECK(res.error().summary() ==
          "service \"web\": Bind for 0.0.0.0:8080 failed: port is already allocated (held by pid 42 \"nginx\")");
    CHECK(r.engine.calls().empty());
}

TEST_CASE("Preflight_SamePortTwiceAndMissingThings")
{
    Run r(R"(
name: p
services:
  a: {image: localhost/busybox:latest, ports: ["8080:80"]}
  b: {image: localhost/busybox:latest, ports: ["8080:81"]}
)");
    auto res = r.up();
    REQUIRE_FALSE(res);
    CHECK(res.error().summary() == "service \"b\": host port 8080/tcp is published by both p-a-1 and p-b-1");
    Run img("name: p\nservices:\n  a: {image: localhost/nope:1}\n");
    CHECK(img.up().error().summary() ==
          "service \"a\": image localhost/nope:1 not found locally (and not pulled: pull_policy never, --pull "
          "never or a failed pull)");
    Run bind(R"(
name: p
services:
  a:
    image: localhost/busybox:latest
    volumes: [{type: bind, source: /srv/missing, target: /x}]
)");
    CHECK(bind.up().error().summary() == "service \"a\": bind source path does not exist: /srv/missing");
    CHECK(bind.engine.calls().empty());
}

TEST_CASE("Preflight_PortOfARecreatedContainerCountsAsFree")
{
    Run r("name: p\nservices:\n  web: {image: localhost/busybox:latest, ports: [\"8080:80\"]}\n");
    REQUIRE(r.up());
    r.engine.hold_port(8080, "pid 7 \"wharf\""); // the running container itself
    UpOptions force;
    force.recreate = RecreatePolicy::Force;
    CHECK(r.up(force));
}

TEST_CASE("Condition_OneReadinessModel")
{
    using S = engine::ContainerStatus;
    CHECK(evaluate(WaitFor::Started, {record(S::Created)}).verdict == Verdict::Pending);
    CHECK(evaluate(WaitFor::Started, {record(S::Exited, 1)}).verdict == Verdict::Met);
    CHECK(evaluate(WaitFor::Healthy, {record(S::Running, 0, "starting")}).verdict == Verdict::Pending);
    CHECK(evaluate(WaitFor::Healthy, {record(S::Running, 0, "healthy")}).verdict == Verdict::Met);
    CHECK(evaluate(WaitFor::Healthy, {record(S::Running)}).reason == "container p-x-1 has no healthcheck configured");
    CHECK(evaluate(WaitFor::Healthy, {record(S::Exited, 2)}).reason == "container p-x-1 exited (2)");
    CHECK(evaluate(WaitFor::CompletedSuccessfully, {record(S::Running)}).verdict == Verdict::Pending);
    CHECK(evaluate(WaitFor::CompletedSuccessfully, {record(S::Exited, 0)}).verdict == Verdict::Met);
    CHECK(evaluate(WaitFor::Ready, {record(S::Running)}).verdict == Verdict::Met);
    CHECK(evaluate(WaitFor::Ready, {record(S::Running, 0, "starting")}).verdict == Verdict::Pending);
    CHECK(evaluate(WaitFor::Ready, {record(S::Running, 0, "unhealthy")}).reason == "container p-x-1 is unhealthy");
    CHECK(evaluate(WaitFor::Ready, {record(S::Exited, 0)}).verdict == Verdict::Met);
    CHECK(evaluate(WaitFor::Ready, {record(S::Exited, 1)}).verdict == Verdict::Failed);
    CHECK(evaluate(WaitFor::Ready, {}).verdict == Verdict::Met);
    CHECK(evaluate(WaitFor::Ready, {record(S::Running), record(S::Created)}).verdict == Verdict::Pending);
}

} // TEST_SUITE
