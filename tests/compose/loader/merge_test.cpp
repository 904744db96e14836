#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

namespace {

const char* kBase = "services:\n  web:\n    image: x\n    command: [a]\n    environment: {A: \"1\", B: \"1\"}\n"
                    "    ports: [\"80:80\"]\n    volumes: [\"./a:/data\", \"./b:/b\"]\n    labels: {l1: a}\n"
                    "    cap_add: [NET_ADMIN]\n    dns: [1.1.1.1]\n    networks: [front]\n"
                    "networks:\n  front: {}\n  back: {}\n";

Result<LoadedProject> with_override(const std::string& over)
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = kBase;
    fs.files["/project/compose.override.yaml"] = over;
    return load_project(fs.options()); // discovered: compose.yaml + compose.override.yaml
}

ServiceConfig web_with(const std::string& over)
{
    auto r = with_override(over);
    REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
    return r->project.services.at("web");
}

} // namespace

TEST_SUITE("compose.loader.merge") {

TEST_CASE("Merge_ScalarsReplaceMappingsMergeSequencesAppend")
{
    auto s = web_with("services:\n  web:\n    image: y\n    command: [b]\n    environment: {B: \"2\", C: \"3\"}\n"
                      "    ports: [\"81:81\", \"80:80\"]\n    labels: {l2: b}\n    cap_add: [NET_ADMIN, SYS_ADMIN]\n"
                      "    dns: [8.8.8.8]\n    networks: [back]\n");
    CHECK(s.image == "y");
    CHECK(s.command == std::vector<std::string>{"b"});
    CHECK(s.environment == MappingWithEquals{{"A", "1"}, {"B", "2"}, {"C", "3"}});
    REQUIRE(s.ports.size() == 2); // the identical 80:80 is not repeated
    CHECK(s.ports[0].target == 80);
    CHECK(s.ports[1].target == 81);
    CHECK(s.labels == Mapping{{"l1", "a"}, {"l2", "b"}});
    CHECK(s.cap_add == std::vector<std::string>{"NET_ADMIN", "SYS_ADMIN"});
    CHECK(s.dns == std::vector<std::string>{"1.1.1.1", "8.8.8.8"});
    CHECK(s.networks.size() == 2);
}

TEST_CASE("Merge_VolumesAreKeyedByTarget")
{
    auto s = web_with("services:\n  web:\n    volumes: [\"./c:/data\"]\n");
    REQUIRE(s.volumes.size() == 2);
    CHECK(s.volumes[0].target == "/data");
    CHECK(s.volumes[0].source == "/project/c");
    CHECK(s.volumes[1].source == "/project/b");
}

TEST_CASE("Merge_ResetRemovesAndOverrideReplaces")
{
    auto s = web_with("services:\n  web:\n    ports: !reset []\n    environment: !override {Z: \"1\"}\n"
                      "    labels: !reset {}\n    command: !reset null\n");
    CHECK(s.ports.empty());
    CHECK(s.environment == MappingWithEquals{{"Z", "1"}});
    CHECK(s.labels.empty());
    CHECK_FALSE(s.command);
    CHECK(s.image == "x");
}

TEST_CASE("Merge_LaterFilesWinAndNewServicesAreAdded")
{
    FakeFs fs;
    fs.files["/project/a.yaml"] = "services:\n  web:\n    image: a\n";
    fs.files["/project/b.yaml"] = "services:\n  web:\n    image: b\n  db:\n    image: pg\n";
    fs.files["/project/c.yaml"] = "services:\n  web:\n    image: c\n";
    auto r = load_project(fs.options({"a.yaml", "b.yaml", "c.yaml"}));
    REQUIRE(r);
    CHECK(r->project.services.at("web").image == "c");
    CHECK(r->project.services.count("db") == 1);
    CHECK(r->project.compose_files == std::vector<std::string>{"/project/a.yaml", "/project/b.yaml", "/project/c.yaml"});
}

TEST_CASE("Merge_ErrorsNameTheFileTheyComeFrom")
{
    auto r = with_override("services:\n  web:\n    prots: [1]\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() ==
          "compose.override.yaml:3:5: services.web: additional property \"prots\" is not allowed (did you mean \"ports\"?)");
}

} // TEST_SUITE
