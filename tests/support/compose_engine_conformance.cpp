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

    // volumes_from: the source's mounts, same volumes and targets, `:ro` forcing read-only;
    // the inherited anonymous volume stays the source's (rm -v of the dependant keeps it).
    ContainerSpec src;
    src.config.name = prefix + "-src-1";
    src.config.image = image;
    src.config.cmd = {"sleep", "30"};
    src.config.labels = project;
    src.config.mounts = {data};
    engine::MountSpec anon;
    anon.type = engine::MountType::Volume;
    anon.target = "/scratch";
    src.config.mounts.push_back(anon);
    auto source = e.create_container(src);
    if (!source)
        FAIL(source.error().summary());
    auto scratch = std::find_if(source->config.mounts.begin(), source->config.mounts.end(),
                                [](const auto& m) { return m.target == "/scratch"; });
    REQUIRE(scratch != source->config.mounts.end());
    CHECK(scratch->anonymous);
    CHECK_FALSE(scratch->source.empty());
    ContainerSpec dep;
    dep.config.name = prefix + "-dep-1";
    dep.config.image = image;
    dep.config.cmd = {"sleep", "30"};
    dep.config.labels = project;
    dep.config.volumes_from = {src.config.name + ":ro"};
    dep.config.ipc_mode = "container:" + src.config.name;
    dep.config.pid_mode = "container:" + src.config.name;
    auto dependant = e.create_container(dep);
    if (!dependant)
        FAIL(dependant.error().summary());
    CHECK(dependant->config.volumes_from == std::vector<std::string>{source->id + ":ro"});
    CHECK(dependant->config.ipc_mode == "container:" + source->id);
    CHECK(dependant->config.pid_mode == "container:" + source->id);
    REQUIRE(dependant->config.mounts.size() == 2);
    for (const auto& m : dependant->config.mounts) {
        CHECK(m.read_only);
        CHECK_FALSE(m.anonymous);
        CHECK(m.source == (m.target == "/data" ? vol : scratch->source));
    }
    REQUIRE(e.remove_container(dependant->id, true, true));
    auto names = [&] {
        std::vector<std::string> out;
        auto listed_volumes = e.list_volumes();
        REQUIRE(listed_volumes);
        for (const auto& x : *listed_volumes)
            out.push_back(x.name);
        return out;
    };
    auto has = [](const std::vector<std::string>& v, const std::string& n) { return std::find(v.begin(), v.end(), n) != v.end(); };
    CHECK(has(names(), scratch->source));
    REQUIRE(e.remove_container(source->id, true, true));
    CHECK_FALSE(has(names(), scratch->source));
    CHECK(has(names(), vol));
    auto missing = e.create_container([&] {
        ContainerSpec x = dep;
        x.config.volumes_from = {prefix + "-no-such:ro"};
        x.config.ipc_mode.clear();
        x.config.pid_mode.clear();
        return x;
    }());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == Errc::NotFound);

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
