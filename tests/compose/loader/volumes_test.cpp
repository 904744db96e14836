#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.volumes") {

TEST_CASE("Volumes_ShortSyntaxBindNamedAnonymous")
{
    auto s = service(R"(
services:
  web:
    image: x
    volumes:
      - ./data:/data:ro,z
      - ~/cache:/cache
      - db:/var/lib/db:nocopy
      - /anon
      - /abs:/mnt:rshared
volumes:
  db: {}
)", "web", {{"HOME", "/home/u"}});
    REQUIRE(s.volumes.size() == 5);
    const auto& b = s.volumes[0];
    CHECK(b.type == VolumeType::Bind);
    CHECK(b.source == "/project/data");
    CHECK(b.target == "/data");
    CHECK(b.read_only);
    REQUIRE(b.bind);
    CHECK(b.bind->create_host_path);
    CHECK(b.bind->selinux == "z");
    CHECK(s.volumes[1].source == "/home/u/cache");
    CHECK(s.volumes[2].type == VolumeType::Volume);
    CHECK(s.volumes[2].source == "db");
    REQUIRE(s.volumes[2].volume);
    CHECK(s.volumes[2].volume->nocopy);
    CHECK(s.volumes[3].type == VolumeType::Volume);
    CHECK(s.volumes[3].source.empty());
    CHECK(s.volumes[3].target == "/anon");
    CHECK(s.volumes[4].bind->propagation == "rshared");
}

TEST_CASE("Volumes_LongSyntax")
{
    auto s = service(R"(
services:
  web:
    image: x
    volumes:
      - type: tmpfs
        target: /tmp
        tmpfs:
          size: 64m
          mode: 01777
      - type: bind
        source: ./conf
        target: /etc/app
        read_only: true
        bind:
          create_host_path: false
)");
    REQUIRE(s.volumes.size() == 2);
    CHECK(s.volumes[0].type == VolumeType::Tmpfs);
    REQUIRE(s.volumes[0].tmpfs);
    CHECK(s.volumes[0].tmpfs->size == 64 * 1024 * 1024);
    CHECK(s.volumes[0].tmpfs->mode == 01777);
    CHECK(s.volumes[1].source == "/project/conf");
    CHECK_FALSE(s.volumes[1].bind->create_host_path);
}

TEST_CASE("Volumes_UndefinedNamedVolumeIsAnError")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    volumes:\n      - data:/data\n") ==
          "compose.yaml:5:9: services.web.volumes: refers to undefined volume \"data\"");
}

TEST_CASE("Volumes_UnknownOptionWarns")
{
    auto r = load("services:\n  web:\n    image: x\n    volumes:\n      - ./a:/a:bogus\n");
    REQUIRE(r);
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0] == "services.web.volumes[0]: unknown volume option \"bogus\" in \"./a:/a:bogus\" is ignored");
}

} // TEST_SUITE
