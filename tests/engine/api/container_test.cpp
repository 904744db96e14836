#include "engine/api/container.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

TEST_SUITE("engine.api.container") {

TEST_CASE("RestartPolicy_ParsesDockerForms")
{
    CHECK(parse_restart_policy("no")->name == RestartName::No);
    CHECK(parse_restart_policy("always")->name == RestartName::Always);
    CHECK(parse_restart_policy("unless-stopped")->name == RestartName::UnlessStopped);
    auto of = parse_restart_policy("on-failure:3");
    REQUIRE(of);
    CHECK(of->name == RestartName::OnFailure);
    CHECK(of->max_retries == 3);
    auto bad = parse_restart_policy("always:3");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().summary() == "invalid restart policy 'always:3': maximum retry count can only be used with 'on-failure'");
    CHECK(parse_restart_policy("sometimes").error().summary() == "invalid restart policy 'sometimes'");
}

TEST_CASE("Record_RoundTripsThroughJson")
{
    ContainerRecord r;
    r.id = std::string(64, 'a');
    r.created = "2026-12-03T19:34:19.5Z";
    r.config.name = "web";
    r.config.image = "localhost/busybox:latest";
    r.config.cmd = {"httpd", "-f"};
    r.config.env = {"PATH=/bin", "A=b"};
    r.config.labels = {{"com.docker.compose.project", "shop"}};
    r.config.restart = {RestartName::OnFailure, 2};
    r.config.healthcheck = HealthConfig{{"CMD-SHELL", "true"}, 1000, 2000, 0, 0, 3};
    r.config.mounts.push_back({MountType::Volume, "data", "/data", true, false, false, false, {}});
    r.config.networks.push_back({"shop_default", {"web", "www"}, ""});
    r.config.publish = {"8080:80"};
    r.config.volumes_from = {std::string(64, 'b') + ":ro"};
    r.config.ipc_mode = "container:" + std::string(64, 'b');
    r.config.pid_mode = "host";
    r.config.layer_dirs = {"/l/1", "/l/2"};
    r.config.stop_timeout = 3;
    r.state.status = ContainerStatus::Running;
    r.state.pid = 42;
    r.state.health.status = "healthy";
    r.state.health.log.push_back({"a", "b", 0, "ok"});
    r.state.port_mappings = {"0.0.0.0:8080->80/tcp"};
    auto back = decode_record(encode_record(r));
    REQUIRE(back);
    CHECK(*back == r);
}

TEST_CASE("ContainerRecord_PausedIsRunningAndPausedAsDockers")
{
    ContainerRecord r;
    r.id = std::string(64, 'a');
    r.config.name = "web";
    r.state.status = ContainerStatus::Paused;
    auto text = encode_record(r);
    CHECK(text.find(R"("Status": "paused",)") != std::string::npos);
    CHECK(text.find(R"("Running": true,)") != std::string::npos);
    CHECK(text.find(R"("Paused": true,)") != std::string::npos);
    auto back = decode_record(text);
    REQUIRE(back);
    CHECK(back->state.status == ContainerStatus::Paused);
}

TEST_CASE("Record_IpcModeReadsAsDocker")
{
    ContainerRecord r;
    r.id = std::string(64, 'a');
    auto text = encode_record(r);
    CHECK(text.find("\"IpcMode\": \"private\"") != std::string::npos);
    auto back = decode_record(text);
    REQUIRE(back);
    CHECK(back->config.ipc_mode == "");
    CHECK(back->config.volumes_from.empty());
}

}
