#include "compose/execute/executor.h"
#include "compose/plan/config_hash.h"
#include "compose/plan/labels.h"
#include "compose/plan/reconcile.h"
#include "tests/compose/loader/load_helper.h"
#include "tests/support/fake_compose_engine.h"

#include <algorithm>
#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::compose;
using wharf::compose::test::FakeClock;
using wharf::compose::test::FakeComposeEngine;

namespace {

// A project on a fake engine: plan against what the fake holds, apply plans to it.
struct Bench {
    FakeClock clock;
    FakeComposeEngine engine{clock};
    Project project;

    explicit Bench(const std::string& yaml) : project(test::project(yaml))
    {
        engine.add_image("localhost/busybox:latest", "sha256:1111111111111111");
        engine.add_image("localhost/db:1", "sha256:2222222222222222");
    }
    void edit(const std::string& yaml) { project = test::project(yaml); }
    Result<Plan> plan(const UpOptions& o = {})
    {
        auto g = ServiceGraph::build(project);
        REQUIRE(g);
        auto observed = observe(engine, project);
        REQUIRE(observed);
        return reconcile(project, *g, *observed, o);
    }
    std::string text(const UpOptions& o = {})
    {
        auto p = plan(o);
        if (!p)
            return "error: " + p.error().summary();
        return p->to_string();
    }
    void up(const UpOptions& o = {})
    {
        auto p = plan(o);
        REQUIRE(p);
        ExecuteOptions eo;
        eo.project = project.name;
        auto r = execute(*p, engine, clock, eo);
        if (!r)
            FAIL(r.error().summary());
    }
    std::string down_text(const DownOptions& o = {})
    {
        auto g = ServiceGraph::build(project);
        REQUIRE(g);
        auto observed = observe(engine, project);
        REQUIRE(observed);
        return plan_down(project, *g, *observed, o).to_string();
    }
};

const char* kWeb = R"(
name: shop
services:
  web:
    image: localhost/busybox:latest
    command: ["httpd", "-f"]
    ports: ["8080:80"]
)";

const char* kWebDb = R"(
name: shop
services:
  web:
    image: localhost/busybox:latest
    depends_on:
      db: {condition: service_healthy}
  db:
    image: localhost/db:1
    healthcheck: {test: ["CMD", "true"], interval: 1s}
    volumes: ["data:/var/lib/db"]
volumes:
  data: {}
)";

} // namespace

TEST_SUITE("compose.plan") {

TEST_CASE("Reconcile_FirstUpCreatesNetworkThenContainer")
{
    Bench b(kWeb);
    CHECK(b.text() ==
          "1. create network shop_default: network missing\n"
          "2. create container shop-web-1 (after 1): no container for replica 1\n"
          "3. start container shop-web-1 (after 2): created\n");
}

TEST_CASE("Reconcile_SecondUpWithNothingChangedIsEmpty")
{
    Bench b(kWeb);
    b.up();
    CHECK(b.text() == "");
}

TEST_CASE("Reconcile_EditedServiceIsRecreatedNamingTheFields")
{
    Bench b(kWebDb);
    b.up();
    std::string edited = kWebDb;
    edited.replace(edited.find("image: localhost/busybox:latest"), 31,
                   "image: localhost/busybox:latest\n    environment: {DEBUG: \"1\"}\n    command: [\"sh\"]");
    b.edit(edited);
    CHECK(b.text() ==
          "1. stop container shop-web-1: config changed: command, environment\n"
          "2. remove container shop-web-1 (after 1): config changed: command, environment\n"
          "3. create container shop-web-1 (after 2): config changed: command, environment\n"
          "4. wait for db healthy: web depends on it (service_healthy)\n"
          "5. start container shop-web-1 (after 3, 4): created\n");
}

TEST_CASE("Reconcile_DependsOnHealthyBecomesAWaitStep")
{
    Bench b(kWebDb);
    CHECK(b.text() ==
          "1. create network shop_default: network missing\n"
          "2. create volume shop_data: volume missing\n"
          "3. create container shop-db-1 (after 1, 2): no container for replica 1\n"
          "4. start container shop-db-1 (after 3): created\n"
          "5. create container shop-web-1 (after 1): no container for replica 1\n"
          "6. wait for db healthy (after 4): web depends on it (service_healthy)\n"
          "7. start container shop-web-1 (after 5, 6): created\n");
}

TEST_CASE("Reconcile_StoppedContainerIsStarted")
{
    Bench b(kWeb);
    b.up();
    REQUIRE(b.engine.stop_container("shop-web-1", 0));
    CHECK(b.text() == "1. start container shop-web-1: container exited (137)\n");
}

TEST_CASE("Reconcile_ScaleUpAndDown")
{
    Bench b(kWeb);
    b.edit(std::string(kWeb).replace(std::string(kWeb).find("ports: [\"8080:80\"]"), 18, "ports: [\"80\"]"));
    b.up();
    UpOptions three;
    three.scale["web"] = 3;
    CHECK(b.text(three) ==
          "1. create container shop-web-2: no container for replica 2\n"
          "2. start container shop-web-2 (after 1): created\n"
          "3. create container shop-web-3: no container for replica 3\n"
          "4. start container shop-web-3 (after 3): created\n");
    b.up(three);
    UpOptions one;
    one.scale["web"] = 1;
    CHECK(b.text(one) ==
          "1. stop container shop-web-3: scale down to 1\n"
          "2. remove container shop-web-3 (after 1): scale down to 1\n"
          "3. stop container shop-web-2: scale down to 1\n"
          "4. remove container shop-web-2 (after 3): scale down to 1\n");
}

TEST_CASE("Reconcile_OrphansAreWarnedAboutOrRemoved")
{
    Bench b(kWebDb);
    b.up();
    b.edit(R"(
name: shop
services:
  web: {image: localhost/busybox:latest}
)");
    CHECK(b.text() ==
          "warning: Found orphan containers ([shop-db-1]) for this project. If you removed or renamed this "
          "service in your compose file, you can run this command with the --remove-orphans flag to clean it up.\n");
    UpOptions o;
    o.remove_orphans = true;
    CHECK(b.text(o) == "1. stop container shop-db-1: orphan: service db is not in the project\n"
                       "2. remove container shop-db-1 (after 1): orphan: service db is not in the project\n");
}

TEST_CASE("Reconcile_ForceAndNoRecreate")
{
    Bench b(kWeb);
    b.up();
    UpOptions force;
    force.recreate = RecreatePolicy::Force;
    CHECK(b.text(force) == "1. stop container shop-web-1: --force-recreate\n"
                           "2. remove container shop-web-1 (after 1): --force-recreate\n"
                           "3. create container shop-web-1 (after 2): --force-recreate\n"
                           "4. start container shop-web-1 (after 3): created\n");
    b.edit(std::string(kWeb).replace(std::string(kWeb).find("-f"), 2, "-v"));
    UpOptions never;
    never.recreate = RecreatePolicy::Never;
    CHECK(b.text(never) == "");
}

TEST_CASE("Reconcile_ImageChangeRecreates")
{
    Bench b(kWeb);
    b.up();
    b.engine.add_image("localhost/busybox:latest", "sha256:3333333333333333");
    CHECK(b.text() == "1. stop container shop-web-1: image changed (111111111111 -> 333333333333)\n"
                      "2. remove container shop-web-1 (after 1): image changed (111111111111 -> 333333333333)\n"
                      "3. create container shop-web-1 (after 2): image changed (111111111111 -> 333333333333)\n"
                      "4. start container shop-web-1 (after 3): created\n");
}

TEST_CASE("Reconcile_MissingNetworkRecreatesItsContainers")
{
    Bench b(kWeb);
    b.up();
    REQUIRE(b.engine.stop_container("shop-web-1", 0));
    REQUIRE(b.engine.remove_network("shop_default"));
    CHECK(b.text() == "1. create network shop_default: network missing\n"
                      "2. remove container shop-web-1: network shop_default is being created\n"
                      "3. create container shop-web-1 (after 1, 2): network shop_default is being created\n"
                      "4. start container shop-web-1 (after 3): created\n");
}

TEST_CASE("Reconcile_RestartTrueDependencyRestartsTheDependent")
{
    Bench b(R"(
name: shop
services:
  web: {image: localhost/busybox:latest, depends_on: {db: {condition: service_started, restart: true}}}
  db: {image: localhost/db:1}
)");
    b.up();
    UpOptions o;
    o.services = {"db"};
    o.no_deps = true;
    b.edit(R"(
name: shop
services:
  web: {image: localhost/busybox:latest, depends_on: {db: {condition: service_started, restart: true}}}
  db: {image: localhost/db:1, command: ["x"]}
)");
    CHECK(b.text() == "1. stop container shop-db-1: config changed: command\n"
                      "2. remove container shop-db-1 (after 1): config changed: command\n"
                      "3. create container shop-db-1 (after 2): config changed: command\n"
                      "4. start container shop-db-1 (after 3): created\n"
                      "5. stop container shop-web-1: dependency db is recreated (restart: true)\n"
                      "6. wait for db started (after 4): web depends on it (service_started)\n"
                      "7. start container shop-web-1 (after 5, 6): dependency db is recreated (restart: true)\n");
    CHECK(b.text(o) == "1. stop container shop-db-1: config changed: command\n"
                       "2. remove container shop-db-1 (after 1): config changed: command\n"
                       "3. create container shop-db-1 (after 2): config changed: command\n"
                       "4. start container shop-db-1 (after 3): created\n");
}

TEST_CASE("Reconcile_NetworkModeServiceJoinsItsParentAndFollowsItsRecreation")
{
    const char* yaml = R"(
name: shop
services:
  app: {image: localhost/busybox:latest, network_mode: "service:vpn"}
  vpn: {image: localhost/busybox:latest}
)";
    Bench b(yaml);
    CHECK(b.text() == "1. create network shop_default: network missing\n"
                      "2. create container shop-vpn-1 (after 1): no container for replica 1\n"
                      "3. start container shop-vpn-1 (after 2): created\n"
                      "4. create container shop-app-1 (after 3): no container for replica 1\n"
                      "5. wait for vpn started (after 3): app needs it (network_mode)\n"
                      "6. start container shop-app-1 (after 4, 5): created\n");
    auto plan = b.plan();
    REQUIRE(plan);
    CHECK(plan->steps[3].container->config.network_mode == "container:shop-vpn-1");
    b.up();
    b.edit(std::string(yaml).replace(std::string(yaml).find("vpn: {image: localhost/busybox:latest}"), 38,
                                     "vpn: {image: localhost/busybox:latest, command: [x]}"));
    CHECK(b.text() == "1. stop container shop-vpn-1: config changed: command\n"
                      "2. remove container shop-vpn-1 (after 1): config changed: command\n"
                      "3. create container shop-vpn-1 (after 2): config changed: command\n"
                      "4. start container shop-vpn-1 (after 3): created\n"
                      "5. stop container shop-app-1: service vpn it shares with is recreated\n"
                      "6. remove container shop-app-1 (after 5): service vpn it shares with is recreated\n"
                      "7. create container shop-app-1 (after 4, 6): service vpn it shares with is recreated\n"
                      "8. wait for vpn started (after 4): app needs it (network_mode)\n"
                      "9. start container shop-app-1 (after 7, 8): created\n");
}

TEST_CASE("Reconcile_RecreateKeepsAnonymousVolumes")
{
    Bench b("name: shop\nservices:\n  web: {image: localhost/busybox:latest, volumes: [/cache]}\n");
    b.up();
    auto old = b.engine.inspect_container("shop-web-1");
    REQUIRE(old);
    // The fake names an anonymous volume as the engine would; give it one.
    UpOptions force;
    force.recreate = RecreatePolicy::Force;
    engine::ContainerRecord r = *old;
    auto g = ServiceGraph::build(b.project);
    REQUIRE(g);
    ObservedState o;
    r.config.mounts[0].source = "anon123";
    r.config.mounts[0].anonymous = true;
    engine::MountSpec image_volume;
    image_volume.type = engine::MountType::Volume;
    image_volume.source = "anon456";
    image_volume.target = "/var/lib/x";
    image_volume.anonymous = true;
    r.config.mounts.push_back(image_volume);
    o.containers = {r};
    o.networks = {{"shop_default", {"n", "shop_default", {}}}};
    auto plan = reconcile(b.project, *g, o, force);
    REQUIRE(plan);
    auto create = std::find_if(plan->steps.begin(), plan->steps.end(),
                               [](const Step& s) { return s.kind == StepKind::CreateContainer; });
    REQUIRE(create != plan->steps.end());
    const auto& mounts = create->container->config.mounts;
    REQUIRE(mounts.size() == 2);
    CHECK(mounts[0].source == "anon123");
    CHECK(mounts[0].target == "/cache");
    CHECK(mounts[1].source == "anon456");
}

TEST_CASE("Reconcile_ExternalsMustExistAndAreNeverCreated")
{
    Bench b(R"(
name: shop
services:
  web: {image: localhost/busybox:latest, networks: [front], volumes: ["keep:/data"]}
networks:
  front: {external: true, name: shared-front}
volumes:
  keep: {external: true}
)");
    CHECK(b.text() == "error: network shared-front declared as external, but could not be found");
    NetworkSpec front;
    front.name = "shared-front";
    REQUIRE(b.engine.create_network(front));
    CHECK(b.text() == "error: external volume \"keep\" not found");
    VolumeSpec keep;
    keep.name = "keep";
    REQUIRE(b.engine.create_volume(keep));
    CHECK(b.text() == "1. create container shop-web-1: no container for replica 1\n"
                      "2. start container shop-web-1 (after 1): created\n");
    b.up();
    DownOptions v;
    v.volumes = true;
    CHECK(b.down_text(v) == "1. stop container shop-web-1: down\n"
                            "2. remove container shop-web-1 with its anonymous volumes (after 1): down\n");
}

TEST_CASE("Reconcile_ContainerNameWithReplicasIsAnError")
{
    Bench b(R"(
name: shop
services:
  web: {image: localhost/busybox:latest, container_name: front}
)");
    UpOptions two;
    two.scale["web"] = 2;
    CHECK(b.text(two) == "error: service \"web\": container_name \"front\" cannot be used with 2 replicas");
}

TEST_CASE("Reconcile_WaitAddsAReadyStepPerService")
{
    Bench b(kWeb);
    UpOptions o;
    o.wait = true;
    CHECK(b.text(o) ==
          "1. create network shop_default: network missing\n"
          "2. create container shop-web-1 (after 1): no container for replica 1\n"
          "3. start container shop-web-1 (after 2): created\n"
          "4. wait for web ready (after 3): --wait\n");
}

TEST_CASE("Reconcile_NamedServicesBringTheirDependencies")
{
    Bench b(kWebDb);
    UpOptions o;
    o.services = {"db"};
    CHECK(b.text(o) == "1. create network shop_default: network missing\n"
                       "2. create volume shop_data: volume missing\n"
                       "3. create container shop-db-1 (after 1, 2): no container for replica 1\n"
                       "4. start container shop-db-1 (after 3): created\n");
    o.services = {"nope"};
    CHECK(b.text(o) == "error: no such service: nope");
}

TEST_CASE("Down_StopsDependentsFirstThenRemovesNetworksAndVolumes")
{
    Bench b(kWebDb);
    b.up();
    CHECK(b.down_text() == "1. stop container shop-web-1: down\n"
                           "2. remove container shop-web-1 (after 1): down\n"
                           "3. stop container shop-db-1 (after 1): down\n"
                           "4. remove container shop-db-1 (after 3): down\n"
                           "5. remove network shop_default (after 2, 4): down\n");
    DownOptions v;
    v.volumes = true;
    CHECK(b.down_text(v).find("6. remove volume shop_data (after 2, 4): down -v\n") != std::string::npos);
}

TEST_CASE("ConfigHash_IgnoresFieldsThatNeverRecreate")
{
    auto b = test::service("services:\n  web: {image: x}\n");
    auto a = b;
    a.scale = 2;
    a.profiles = {"p"};
    a.depends_on["db"] = ServiceDependency{};
    a.pull_policy = "never";
    CHECK(config_hash(a) == config_hash(b));
    auto c = test::service("services:\n  web: {image: x, command: [a]}\n");
    CHECK(config_hash(a) != config_hash(c));
    CHECK(changed_fields(canonical_service_json(b), canonical_service_json(c)) == std::vector<std::string>{"command"});
    CHECK(changed_fields("{", "{}") == std::vector<std::string>{"*"});
}

TEST_CASE("ContainerSpec_CarriesComposeLabels")
{
    Bench b(kWebDb);
    auto p = b.plan();
    REQUIRE(p);
    auto it = std::find_if(p->steps.begin(), p->steps.end(), [](const Step& s) {
        return s.kind == StepKind::CreateContainer && s.service == "web";
    });
    REQUIRE(it != p->steps.end());
    const auto& web = *it;
    REQUIRE(web.container);
    const auto& l = web.container->config.labels;
    CHECK(l.at(labels::kProject) == "shop");
    CHECK(l.at(labels::kService) == "web");
    CHECK(l.at(labels::kContainerNumber) == "1");
    CHECK(l.at(labels::kOneoff) == "False");
    CHECK(l.at(labels::kDependsOn) == "db:service_healthy:false");
    CHECK(l.at(labels::kImage) == "sha256:1111111111111111");
    CHECK(l.at(labels::kWorkingDir) == "/project");
    CHECK(l.at(labels::kConfigHash).size() == 64);
    CHECK(web.container->config.network_mode == "shop_default");
    REQUIRE(web.container->config.networks.size() == 1);
    CHECK(web.container->config.networks[0].aliases == std::vector<std::string>{"web"});
}

TEST_CASE("Reconcile_VolumesFromCreatesAfterItsSourceAndFollowsItsRecreation")
{
    const char* yaml = R"(
name: shop
services:
  app: {image: localhost/busybox:latest, volumes_from: ["data:ro", "container:legacy"]}
  data: {image: localhost/busybox:latest, volumes: ["/shared"]}
)";
    Bench b(yaml);
    CHECK(b.text() == "1. create network shop_default: network missing\n"
                      "2. create container shop-data-1 (after 1): no container for replica 1\n"
                      "3. start container shop-data-1 (after 2): created\n"
                      "4. create container shop-app-1 (after 1, 2): no container for replica 1\n"
                      "5. wait for data started (after 3): app needs it (volumes_from)\n"
                      "6. start container shop-app-1 (after 4, 5): created\n");
    auto plan = b.plan();
    REQUIRE(plan);
    CHECK(plan->steps[3].container->config.volumes_from == std::vector<std::string>{"shop-data-1:ro", "legacy"});
    b.edit(std::string(yaml).replace(std::string(yaml).find(", \"container:legacy\""), 20, ""));
    b.up();
    // Only the source named: it alone is recreated.
    UpOptions force;
    force.recreate = RecreatePolicy::Force;
    force.services = {"data"};
    force.no_deps = true;
    CHECK(b.text(force) == "1. stop container shop-data-1: --force-recreate\n"
                           "2. remove container shop-data-1 (after 1): --force-recreate\n"
                           "3. create container shop-data-1 (after 2): --force-recreate\n"
                           "4. start container shop-data-1 (after 3): created\n");
    // Every service: the dependant goes with its source.
    force.services.clear();
    force.no_deps = false;
    force.recreate = RecreatePolicy::Diverged;
    b.edit(R"(
name: shop
services:
  app: {image: localhost/busybox:latest, volumes_from: ["data:ro"]}
  data: {image: localhost/busybox:latest, volumes: ["/shared"], command: [x]}
)");
    CHECK(b.text(force) == "1. stop container shop-data-1: config changed: command\n"
                           "2. remove container shop-data-1 (after 1): config changed: command\n"
                           "3. create container shop-data-1 (after 2): config changed: command\n"
                           "4. start container shop-data-1 (after 3): created\n"
                           "5. stop container shop-app-1: service data it shares with is recreated\n"
                           "6. remove container shop-app-1 (after 5): service data it shares with is recreated\n"
                           "7. create container shop-app-1 (after 3, 6): service data it shares with is recreated\n"
                           "8. wait for data started (after 4): app needs it (volumes_from)\n"
                           "9. start container shop-app-1 (after 7, 8): created\n");
    // The dependant's inherited mounts are the engine's to copy again, never pinned.
    plan = b.plan(force);
    REQUIRE(plan);
    CHECK(plan->steps[6].container->config.mounts.empty());
}

TEST_CASE("Reconcile_IpcAndPidServiceJoinReplicaOneOfTheirParent")
{
    Bench b(R"(
name: shop
services:
  sidecar: {image: localhost/busybox:latest, ipc: "service:main", pid: "service:main"}
  main: {image: localhost/busybox:latest, ipc: shareable}
  tool: {image: localhost/busybox:latest, pid: host, ipc: "container:other"}
)");
    CHECK(b.text() == "1. create network shop_default: network missing\n"
                      "2. create container shop-main-1 (after 1): no container for replica 1\n"
                      "3. start container shop-main-1 (after 2): created\n"
                      "4. create container shop-sidecar-1 (after 1, 2): no container for replica 1\n"
                      "5. wait for main started (after 3): sidecar needs it (ipc, pid)\n"
                      "6. start container shop-sidecar-1 (after 4, 5): created\n"
                      "7. create container shop-tool-1 (after 1): no container for replica 1\n"
                      "8. start container shop-tool-1 (after 7): created\n");
    auto plan = b.plan();
    REQUIRE(plan);
    CHECK(plan->steps[1].container->config.ipc_mode == "shareable");
    CHECK(plan->steps[3].container->config.ipc_mode == "container:shop-main-1");
    CHECK(plan->steps[3].container->config.pid_mode == "container:shop-main-1");
    CHECK(plan->steps[6].container->config.ipc_mode == "container:other");
    CHECK(plan->steps[6].container->config.pid_mode == "host");
}

TEST_CASE("Reconcile_RenewAnonVolumesGivesTheReplacementNewOnes")
{
    Bench b("name: shop\nservices:\n  web: {image: localhost/busybox:latest, volumes: [/cache]}\n");
    b.up();
    CHECK(b.engine.volume_names() == std::set<std::string>{"anon-1"});
    UpOptions o;
    o.recreate = RecreatePolicy::Force;
    auto kept = b.plan(o);
    REQUIRE(kept);
    CHECK(kept->steps[2].container->config.mounts[0].source == "anon-1");
    o.renew_anon_volumes = true;
    CHECK(b.text(o) == "1. stop container shop-web-1: --force-recreate\n"
                       "2. remove container shop-web-1 with its anonymous volumes (after 1): --force-recreate\n"
                       "3. create container shop-web-1 (after 2): --force-recreate\n"
                       "4. start container shop-web-1 (after 3): created\n");
    auto renewed = b.plan(o);
    REQUIRE(renewed);
    CHECK(renewed->steps[2].container->config.mounts[0].source == "");
    b.up(o);
    CHECK(b.engine.volume_names() == std::set<std::string>{"anon-2"});
    // -V alone recreates nothing, as docker compose's.
    o.recreate = RecreatePolicy::Diverged;
    CHECK(b.text(o) == "");
}

const char* kNetworked = R"(
name: shop
services:
  web: {image: localhost/busybox:latest, networks: [front, ext]}
  db: {image: localhost/db:1, networks: [back]}
  tool: {image: localhost/busybox:latest, networks: [front]}
networks:
  front: {driver_opts: {com.docker.network.driver.mtu: "1500"}}
  back: {}
  ext: {external: true, name: shared}
)";

TEST_CASE("Reconcile_ChangedNetworkIsRecreatedWithItsContainers")
{
    Bench b(kNetworked);
    NetworkSpec shared;
    shared.name = "shared";
    REQUIRE(b.engine.create_network(shared));
    b.up();
    CHECK(b.text() == "");
    std::string edited = kNetworked;
    edited.replace(edited.find("\"1500\""), 6, "\"1400\"}, labels: {tier: front");
    b.edit(edited);
    CHECK(b.text() ==
          "1. stop container shop-tool-1: network front is recreated\n"
          "2. remove container shop-tool-1 (after 1): network front is recreated\n"
          "3. stop container shop-web-1: network front is recreated\n"
          "4. remove container shop-web-1 (after 3): network front is recreated\n"
          "5. remove network shop_front (after 2, 4): network front: driver_opts, labels changed\n"
          "6. create network shop_front (after 5): network front: driver_opts, labels changed\n"
          "7. create container shop-tool-1 (after 2, 6): network front is recreated\n"
          "8. start container shop-tool-1 (after 7): created\n"
          "9. create container shop-web-1 (after 4, 6): network front is recreated\n"
          "10. start container shop-web-1 (after 9): created\n");
    // Only web named: tool is on the network too, so it goes and comes back with it.
    UpOptions only_web;
    only_web.services = {"web"};
    CHECK(b.text(only_web) == b.text());
    UpOptions never;
    never.recreate = RecreatePolicy::Never;
    CHECK(b.text(never) == "warning: network front: driver_opts, labels changed; not recreated (--no-recreate)\n");
    b.up();
    CHECK(b.text() == "");
    CHECK(b.engine.network_names() == std::set<std::string>{"shared", "shop_back", "shop_front"});
    // The driver too; externals are never looked at.
    edited.replace(edited.find("front: {driver_opts"), 8, "front: {driver: macvlan, ");
    edited.replace(edited.find("name: shared"), 12, "name: shared, labels: {x: y}");
    b.edit(edited);
    auto text = b.text();
    CHECK(text.find("5. remove network shop_front (after 2, 4): network front: driver changed\n") != std::string::npos);
    CHECK(text.find("shared") == std::string::npos);
}

TEST_CASE("Reconcile_NetworkWithoutAHashLabelIsLeftAlone")
{
    Bench b(kWeb);
    NetworkSpec old;
    old.name = "shop_default";
    old.labels = {{labels::kProject, "shop"}, {labels::kNetwork, "default"}};
    REQUIRE(b.engine.create_network(old));
    b.up();
    b.edit(std::string(kWeb) + "networks:\n  default: {driver_opts: {a: b}}\n");
    CHECK(b.text() == "");
}

} // TEST_SUITE
