#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.depends_on") {

TEST_CASE("DependsOn_ListBecomesMapOfStartedRequired")
{
    auto s = service("services:\n  web:\n    image: x\n    depends_on: [db, cache]\n  db:\n    image: y\n"
                     "  cache:\n    image: z\n");
    REQUIRE(s.depends_on.size() == 2);
    CHECK(s.depends_on.at("db") == ServiceDependency{ServiceCondition::Started, false, true, {}});
    CHECK(s.depends_on.at("cache") == ServiceDependency{ServiceCondition::Started, false, true, {}});
}

TEST_CASE("DependsOn_LongFormConditionsRestartRequired")
{
    auto s = service("services:\n  web:\n    image: x\n    depends_on:\n"
                     "      db: {condition: service_healthy, restart: true}\n"
                     "      init: {condition: service_completed_successfully}\n"
                     "  db:\n    image: y\n  init:\n    image: z\n");
    CHECK(s.depends_on.at("db") == ServiceDependency{ServiceCondition::Healthy, true, true, {}});
    CHECK(s.depends_on.at("init").condition == ServiceCondition::CompletedSuccessfully);
}

TEST_CASE("DependsOn_OptionalMissingDependencyIsDroppedWithAWarning")
{
    auto r = load("services:\n  web:\n    image: x\n    depends_on:\n      db: {condition: service_started, required: false}\n");
    REQUIRE(r);
    CHECK(r->project.services.at("web").depends_on.empty());
    CHECK(std::find(r->warnings.begin(), r->warnings.end(),
              "services.web.depends_on: optional dependency \"db\" is not enabled, ignored") != r->warnings.end());
}

TEST_CASE("DependsOn_UndefinedOrDisabledServiceIsAnError")
{
    auto r = load("services:\n  web:\n    image: x\n    depends_on: [db]\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().render() == "compose.yaml:4:18: services.web.depends_on: depends on undefined service \"db\"\n"
                                "    4 |     depends_on: [db]\n"
                                "      |                  ^\n");
    CHECK(error_of("services:\n  web:\n    image: x\n    depends_on:\n      db:\n        condition: service_healthy\n"
                   "  db:\n    image: y\n    profiles: [debug]\n") ==
          "compose.yaml:5:7: services.web.depends_on: depends on service \"db\" which is disabled by its profiles");
}

TEST_CASE("DependsOn_UnknownConditionIsRejected")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    depends_on:\n      db:\n        condition: started\n"
                   "  db:\n    image: y\n") ==
          "compose.yaml:6:20: services.web.depends_on.db.condition: invalid value \"started\": must be one of "
          "service_started, service_healthy, service_completed_successfully");
}

} // TEST_SUITE
