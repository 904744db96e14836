#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.extends") {

TEST_CASE("Extends_SameFileMergesByTheComposeRules")
{
    Project p = project("services:\n  base:\n    image: x\n    environment: [A=1, C=base]\n    ports: [\"80:80\"]\n"
                        "  web:\n    extends: base\n    environment: [B=2, C=web]\n    ports: [\"81:81\"]\n");
    const auto& web = p.services.at("web");
    CHECK(web.image == "x");
    CHECK(web.environment == MappingWithEquals{{"A", "1"}, {"B", "2"}, {"C", "web"}});
    REQUIRE(web.ports.size() == 2); // ports append
    CHECK(web.ports[0].target == 80);
    CHECK(web.ports[1].target == 81);
    CHECK_FALSE(web.extends); // applied, then cleared
}

TEST_CASE("Extends_OtherFileResolvesPathsAgainstThatFile")
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "services:\n  web:\n    extends:\n      file: ext/common.yaml\n"
                                        "      service: common\n    command: [run]\n";
    fs.files["/project/ext/common.yaml"] = "services:\n  common:\n    image: y\n    volumes: [./data:/data]\n"
                                           "    build: ./ctx\n    command: [base]\n";
    auto r = load_project(fs.options({"compose.yaml"}));
    REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
    const auto& web = r->project.services.at("web");
    CHECK(web.image == "y");
    CHECK(web.command == std::vector<std::string>{"run"}); // command replaces
    REQUIRE(web.volumes.size() == 1);
    CHECK(web.volumes[0].source == "/project/ext/data");
    CHECK(web.build->context == "/project/ext/ctx");
    CHECK_FALSE(r->project.services.count("common")); // only the extended service is imported
}

TEST_CASE("Extends_ChainsAndCycles")
{
    Project p = project("services:\n  a:\n    image: x\n    labels: {a: '1'}\n  b:\n    extends: a\n    labels: {b: '1'}\n"
                        "  c:\n    extends: b\n");
    CHECK(p.services.at("c").labels == Mapping{{"a", "1"}, {"b", "1"}});
    CHECK(error_of("services:\n  web:\n    extends: base\n  base:\n    extends: web\n") ==
          "compose.yaml:3:14: services.web.extends: extends cycle: web -> base -> web");
}

TEST_CASE("Extends_MissingServiceOrFile")
{
    CHECK(error_of("services:\n  web:\n    extends: {service: nope}\n") ==
          "compose.yaml:3:14: services.web.extends: service \"nope\" not found");
    CHECK(error_of("services:\n  web:\n    extends: {file: a.yaml}\n") ==
          "compose.yaml:3:14: services.web.extends: missing required property \"service\"");
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "services:\n  web:\n    extends:\n      file: missing.yaml\n      service: x\n";
    auto r = load_project(fs.options({"compose.yaml"}));
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() ==
          "compose.yaml:4:13: services.web.extends: file missing.yaml not found");
}

} // TEST_SUITE
