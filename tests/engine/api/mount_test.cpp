#include "engine/api/mount.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

TEST_SUITE("engine.api.mount") {

TEST_CASE("VolumeFlag_AbsoluteSourceIsBindCreatingHostDir")
{
    auto m = parse_volume_flag("/srv/data:/data:ro", "/work");
    REQUIRE(m);
    CHECK(m->type == MountType::Bind);
    CHECK(m->source == "/srv/data");
    CHECK(m->target == "/data");
    CHECK(m->read_only);
    CHECK(m->create_host_path);
}

TEST_CASE("VolumeFlag_DotSourceResolvesAgainstCwd")
{
    auto m = parse_volume_flag("./site:/usr/share/html", "/home/me/proj");
    REQUIRE(m);
    CHECK(m->source == "/home/me/proj/site");
    auto dot = parse_volume_flag(".:/src", "/home/me/proj");
    REQUIRE(dot);
    CHECK(dot->source == "/home/me/proj");
}

TEST_CASE("VolumeFlag_NameIsVolumeAndSingleFieldIsAnonymous")
{
    auto named = parse_volume_flag("pgdata:/var/lib/postgresql/data", "/");
    REQUIRE(named);
    CHECK(named->type == MountType::Volume);
    CHECK(named->source == "pgdata");
    CHECK_FALSE(named->anonymous);
    auto anon = parse_volume_flag("/cache", "/");
    REQUIRE(anon);
    CHECK(anon->type == MountType::Volume);
    CHECK(anon->anonymous);
    CHECK(anon->source.empty());
}

TEST_CASE("VolumeFlag_BadSpecsAreErrors")
{
    auto mode_only = parse_volume_flag("/foo:rw", "/");
    REQUIRE_FALSE(mode_only);
    CHECK(mode_only.error().summary() == "invalid volume specification: '/foo:rw'");
    auto relative = parse_volume_flag("data:relative", "/");
    REQUIRE_FALSE(relative);
    CHECK(relative.error().summary() ==
          "invalid volume specification: 'data:relative': invalid mount config for type \"volume\": invalid mount path: 'relative' mount path must be absolute");
    auto bad_mode = parse_volume_flag("/a:/b:rx", "/");
    REQUIRE_FALSE(bad_mode);
    CHECK(bad_mode.error().summary() == "invalid mode: rx");
}

TEST_CASE("MountFlag_BindDoesNotCreateAndReadonlyParses")
{
    auto m = parse_mount_flag("type=bind,source=/x,target=/y,readonly", "/");
    REQUIRE(m);
    CHECK(m->type == MountType::Bind);
    CHECK_FALSE(m->create_host_path);
    CHECK(m->read_only);
    auto tmp = parse_mount_flag("type=tmpfs,dst=/run,tmpfs-size=64m", "/");
    REQUIRE(tmp);
    CHECK(tmp->type == MountType::Tmpfs);
    CHECK(tmp->options == std::vector<std::string>{"size=64m"});
    auto bad = parse_mount_flag("type=floppy,target=/a", "/");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().summary() == "invalid mount config: mount type unknown: \"floppy\"");
    auto notarget = parse_mount_flag("type=bind,source=/a", "/");
    REQUIRE_FALSE(notarget);
    CHECK(notarget.error().summary() == "invalid mount config for type \"bind\": field Target must not be empty");
}

}
