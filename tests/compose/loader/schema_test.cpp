#include "compose/loader/schema.h"
#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.schema") {

TEST_CASE("Schema_UnknownKeySuggestsTheNearestOne")
{
    const char* yaml = "services:\n  web:\n    image: x\n    prots:\n      - 80\n";
    auto r = load(yaml);
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() ==
          "compose.yaml:4:5: services.web: additional property \"prots\" is not allowed (did you mean \"ports\"?)");
    CHECK(r.error().render() ==
          "compose.yaml:4:5: services.web: additional property \"prots\" is not allowed (did you mean \"ports\"?)\n"
          "    4 |     prots:\n"
          "      |     ^\n");
}

TEST_CASE("Schema_WrongTypeNamesWhatWasExpected")
{
    CHECK(error_of("services:\n  web:\n    image: [a]\n") ==
          "compose.yaml:3:12: services.web.image: must be a string, not a list");
    CHECK(error_of("services:\n  web:\n    image: x\n    privileged: maybe\n") ==
          "compose.yaml:4:17: services.web.privileged: must be a boolean, not a string");
    CHECK(error_of("services:\n  web:\n    image: x\n    command: {a: 1}\n") ==
          "compose.yaml:4:14: services.web.command: must be a string, a list or null, not a mapping");
}

TEST_CASE("Schema_EnumAndRequired")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    depends_on:\n      db:\n        condition: healthy\n"
                   "  db:\n    image: y\n") ==
          "compose.yaml:6:20: services.web.depends_on.db.condition: invalid value \"healthy\": must be one of "
          "service_started, service_healthy, service_completed_successfully");
    CHECK(error_of("services:\n  web:\n    image: x\n    extends:\n      file: a.yaml\n") ==
          "compose.yaml:5:7: services.web.extends: missing required property \"service\"");
}

TEST_CASE("Schema_UnknownTopLevelKey")
{
    CHECK(error_of("services: {}\nservice:\n  web: {}\n") ==
          "compose.yaml:2:1: additional property \"service\" is not allowed (did you mean \"services\"?)");
}

TEST_CASE("Schema_InterpolatedNumbersAndBooleansConvert")
{
    auto s = service("services:\n  web:\n    image: x\n    privileged: ${P}\n    scale: ${N}\n", "web",
        {{"P", "true"}, {"N", "2"}});
    CHECK(s.privileged);
    CHECK(s.scale == 2);
}

TEST_CASE("Schema_DurationFormatChecked")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    stop_grace_period: 10parsecs\n") ==
          "compose.yaml:4:24: services.web.stop_grace_period: invalid duration \"10parsecs\"");
}

TEST_CASE("Schema_EditDistanceCountsTranspositions")
{
    CHECK(loader::edit_distance("prots", "ports") == 1);
    CHECK(loader::edit_distance("image", "imgae") == 1);
    CHECK(loader::edit_distance("abc", "xyz") == 3);
}

} // TEST_SUITE
