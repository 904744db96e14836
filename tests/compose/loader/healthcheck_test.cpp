#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.healthcheck") {

TEST_CASE("Healthcheck_StringTestBecomesCmdShell")
{
    auto s = service("services:\n  web:\n    image: x\n    healthcheck:\n      test: curl -f http://localhost\n"
                     "      interval: 1m30s\n      timeout: 500ms\n      retries: 3\n      start_period: 5s\n"
                     "      start_interval: 1s\n");
    REQUIRE(s.healthcheck);
    const auto& h = *s.healthcheck;
    CHECK(h.test == std::vector<std::string>{"CMD-SHELL", "curl -f http://localhost"});
    CHECK(h.interval == Duration{90'000'000'000});
    CHECK(h.timeout == Duration{500'000'000});
    CHECK(h.retries == 3u);
    CHECK(h.start_period == Duration{5'000'000'000});
    CHECK(h.start_interval == Duration{1'000'000'000});
    CHECK_FALSE(h.disable);
}

TEST_CASE("Healthcheck_ListFormsAndDisable")
{
    auto s = service("services:\n  web:\n    image: x\n    healthcheck:\n      test: [CMD, wget, -q, 'http://x/']\n"
                     "  off:\n    image: x\n    healthcheck:\n      disable: true\n"
                     "  none:\n    image: x\n    healthcheck:\n      test: [NONE]\n");
    CHECK(s.healthcheck->test == std::vector<std::string>{"CMD", "wget", "-q", "http://x/"});
    Project p = project("services:\n  off:\n    image: x\n    healthcheck:\n      disable: true\n"
                        "  none:\n    image: x\n    healthcheck:\n      test: [NONE]\n");
    CHECK(p.services.at("off").healthcheck->disable);
    CHECK_FALSE(p.services.at("off").healthcheck->test);
    CHECK(p.services.at("none").healthcheck->test == std::vector<std::string>{"NONE"});
}

TEST_CASE("Healthcheck_PrintsInComposeGoFieldOrder")
{
    Project p = project("services:\n  web:\n    image: x\n    healthcheck:\n      retries: 2\n      interval: 10s\n"
                        "      timeout: 1s\n      test: \"true\"\n");
    std::string y = to_yaml(p);
    CHECK(y.find("    healthcheck:\n      test:\n        - CMD-SHELL\n        - \"true\"\n      timeout: 1s\n"
                 "      interval: 10s\n      retries: 2\n") != std::string::npos);
}

TEST_CASE("Healthcheck_BadValuesPointAtThem")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    healthcheck:\n      interval: 10x\n") ==
          "compose.yaml:5:17: services.web.healthcheck.interval: invalid duration \"10x\"");
    CHECK(error_of("services:\n  web:\n    image: x\n    healthcheck:\n      test: 5\n") ==
          "compose.yaml:5:13: services.web.healthcheck.test: must be a string or a list, not an integer");
    CHECK(error_of("services:\n  web:\n    image: x\n    healthcheck:\n      intervall: 5s\n") ==
          "compose.yaml:5:7: services.web.healthcheck: additional property \"intervall\" is not allowed (did you mean "
          "\"interval\"?)");
}

} // TEST_SUITE
