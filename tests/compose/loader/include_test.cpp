#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.include") {

TEST_CASE("Include_ImportsServicesWithPathsOfTheIncludedFile")
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "include:\n  - inc/sub.yaml\nservices:\n  web:\n    image: x\n    depends_on: [db]\n";
    fs.files["/project/inc/sub.yaml"] = "services:\n  db:\n    image: pg\n    volumes: [./d:/d, data:/var]\n"
                                        "volumes:\n  data: {}\n";
    auto r = load_project(fs.options({"compose.yaml"}));
    REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
    const auto& p = r->project;
    REQUIRE(p.services.count("db"));
    CHECK(p.services.at("db").volumes[0].source == "/project/inc/d");
    CHECK(p.volumes.at("data").name == "project_data"); // named by the including project
}

TEST_CASE("Include_LongFormWithEnvFileForInterpolation")
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "include:\n  - path: inc/sub.yaml\n    env_file: inc/sub.env\nservices: {}\n";
    fs.files["/project/inc/sub.yaml"] = "services:\n  db:\n    image: pg:${PG_TAG}\n";
    fs.files["/project/inc/sub.env"] = "PG_TAG=16\n";
    auto r = load_project(fs.options({"compose.yaml"}));
    REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
    CHECK(r->project.services.at("db").image == "pg:16");
}

TEST_CASE("Include_ConflictsAndCyclesAreErrors")
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "include:\n  - sub.yaml\nservices:\n  db:\n    image: x\n";
    fs.files["/project/sub.yaml"] = "services:\n  db:\n    image: pg\n";
    auto r = load_project(fs.options({"compose.yaml"}));
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "compose.yaml:4:3: services.db: conflicts with imported resource from /project/sub.yaml");

    FakeFs loop;
    loop.files["/project/compose.yaml"] = "include: [a.yaml]\nservices: {}\n";
    loop.files["/project/a.yaml"] = "include: [compose.yaml]\nservices: {}\n";
    auto c = load_project(loop.options({"compose.yaml"}));
    REQUIRE_FALSE(c);
    CHECK(c.error().summary() == "a.yaml:1:11: include[0]: include cycle: /project/compose.yaml includes itself");

    CHECK(error_of("include:\n  - missing.yaml\nservices: {}\n") ==
          "compose.yaml:2:5: include[0]: file missing.yaml not found");
}

} // TEST_SUITE
