#include "tests/support/compose_engine_conformance.h"

#include <algorithm>
#include <doctest/doctest.h>

namespace wharf::compose::test {

void check_compose_engine_conformance(ComposeEngine& e, const std::string& image, const std::string& prefix)
{
    const std::string net = prefix + "_default", vol = prefix + "_data", name = prefix + "-web-1";
    const Mapping project{{"com.docker.compose.project", prefix}};

    // Networks and volumes keep their labels; a second create of a network conflicts.
    NetworkSpec ns;
    ns.name = net;
    ns.labels = {{"com.docker.compose.project", prefix}};
    REQUIRE(e.create_network(ns));
    auto again = e.create_network(ns);
    REQUIRE_FALSE(again);
    CHECK(again.error().code() == Errc::Conflict);
    auto nets = e.list_networks();
    REQUIRE(nets);
    auto n = std::find_if(nets->begin(), nets->end(), [&](const auto& x) { return x.name == net; });
    REQUIRE(n != nets->end());
    CHECK(n->labels.at("com.docker.compose.project") == prefix);
    VolumeSpec vs;
    vs.name = vol;
    vs.labels = {{"com.docker.compose.project", prefix}};
    REQUIRE(e.create_volume(vs));
    auto vols = e.list_volumes();
    REQUIRE(vols);
    auto v = std::find_if(vols->begin(), vols->end(), [&](const auto& x) { return x.name == vol; });
    REQUIRE(v != vols->end());
    CHECK(v->labels.at("com.docker.compose.project") == prefix);

    // Images: present or not.
    CHECK(e.image_id(image).has_value());
    CHECK_FALSE(e.image_id("localhost/wharf-no-such-image:none").has_value());

    // A container: created with its labels, found by them, started, stopped, removed.
    ContainerSpec spec;
    spec.config.name = name;
    spec.config.image = image;
    spec.config.cmd = {"sleep", "30"};
    spec.config.labels = {{"com.docker.compose.project", prefix}, {"com.docker.compose.service", "web"}};
    spec.config.network_mode = net;
    spec.config.networks = {{net, {"web"}, ""}};
    engine::MountSpec data;
    data.type = engine::MountType::Volume;
    data.source = vol;
    data.target = "/data";
    spec.config.mounts = {data};
    spec.env = {"GREETING=hello"};
    auto created = e.create_container(spec);
    if (!created)
        FAIL(created.error().summary());
    CHECK(created->config.name == name);
    CHECK(created->state.status == engine::ContainerStatus::Created);
    CHECK(std::find(created->config.env.begin(), created->config.env.end(), "GREETING=hello") != created->config.env.end());
    CHECK_FALSE(created->config.image_id.empty());
    auto dup = e.create_container(spec);
    REQUIRE_FALSE(dup);
    CHECK(dup.error().code() == Errc::Conflict);

    auto listed = e.list_containers(project);
    REQUIRE(listed);
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().id == created->id);
    CHECK(e.list_containers({{"com.docker.compose.project", prefix + "-other"}})->empty());
    CHECK(e.list_containers({{"com.docker.compose.service", ""}, {"com.docker.compose.project", prefix}})->size() == 1);

    auto started = e.start_container(name);
    if (!started)
        FAIL(started.error().summary());
    CHECK(e.inspect_container(created->id)->state.status == engine::ContainerStatus::Running);
    REQUIRE(e.start_container(name)); // starting a running container is fine
    REQUIRE(e.stop_container(name, 1));
    auto stopped = e.inspect_container(name);
    REQUIRE(stopped);
    CHECK(stopped->state.status == engine::ContainerStatus::Exited);
    REQUIRE(e.remove_container(name, false, false));
    CHECK(e.list_containers(project)->empty());
    auto gone = e.inspect_container(name);
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code() == Errc::NotFound);

    REQUIRE(e.remove_network(net));
    REQUIRE(e.remove_volume(vol));
    nets = e.list_networks();
    CHECK(std::none_of(nets->begin(), nets->end(), [&](const auto& x) { return x.name == net; }));
    vols = e.list_volumes();
    CHECK(std::none_of(vols->begin(), vols->end(), [&](const auto& x) { return x.name == vol; }));
    CHECK_FALSE(e.remove_network(net));

    // Host checks.
    CHECK(e.path_exists("/"));
    CHECK_FALSE(e.path_exists("/wharf-no-such-path"));
    engine::PortBinding ephemeral;
    ephemeral.container_port = 80;
    CHECK(e.check_host_port(ephemeral));
}

} // namespace wharf::compose::test
