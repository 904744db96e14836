#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.deploy") {

TEST_CASE("Deploy_ResourcesLimitsAndReservations")
{
    auto s = service("services:\n  web:\n    image: x\n    deploy:\n      replicas: 3\n      resources:\n"
                     "        limits:\n          cpus: '0.5'\n          memory: 512M\n          pids: 100\n"
                     "        reservations:\n          memory: 64m\n          devices:\n"
                     "            - capabilities: [gpu]\n              count: all\n"
                     "      restart_policy:\n        condition: on-failure\n        delay: 5s\n        max_attempts: 3\n");
    REQUIRE(s.deploy);
    const auto& d = *s.deploy;
    CHECK(d.replicas == 3);
    CHECK(s.replica_count() == 3);
    REQUIRE(d.resources.limits);
    CHECK(d.resources.limits->cpus == 0.5);
    CHECK(d.resources.limits->memory == 512 * 1024 * 1024);
    CHECK(d.resources.limits->pids == 100);
    REQUIRE(d.resources.reservations);
    CHECK(d.resources.reservations->memory == 64 * 1024 * 1024);
    REQUIRE(d.resources.reservations->devices.size() == 1);
    CHECK(d.resources.reservations->devices[0].capabilities == std::vector<std::string>{"gpu"});
    CHECK(d.resources.reservations->devices[0].count == -1);
    REQUIRE(d.restart_policy);
    CHECK(d.restart_policy->condition == "on-failure");
    CHECK(d.restart_policy->delay == Duration{5'000'000'000});
    CHECK(d.restart_policy->max_attempts == 3u);
}

TEST_CASE("Deploy_JsonTypesAsDockerCompose")
{
    Project p = project("services:\n  web:\n    image: x\n    deploy:\n      resources:\n        limits:\n"
                        "          cpus: '1.5'\n          memory: 1g\n");
    std::string j = to_json(p);
    CHECK(j.find("\"cpus\": 1.5,") != std::string::npos);
    CHECK(j.find("\"memory\": \"1073741824\"") != std::string::npos);
    CHECK(to_yaml(p).find("          cpus: 1.5\n          memory: \"1073741824\"\n") != std::string::npos);
}

TEST_CASE("Deploy_Errors")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    deploy:\n      resources:\n        limits:\n"
                   "          memory: 12parsecs\n") ==
          "compose.yaml:7:19: services.web.deploy.resources.limits.memory: invalid size \"12parsecs\"");
    CHECK(error_of("services:\n  web:\n    image: x\n    deploy:\n      resources:\n        limits:\n"
                   "          cpus: lots\n") ==
          "compose.yaml:7:17: services.web.deploy.resources.limits.cpus: invalid number \"lots\"");
    CHECK(error_of("services:\n  web:\n    image: x\n    deploy:\n      replicas: 2\n    scale: 3\n") ==
          "compose.yaml:6:5: services.web: can't set distinct values on 'scale' and 'deploy.replicas'");
    CHECK(error_of("services:\n  web:\n    image: x\n    deploy:\n      resources:\n        limit: {cpus: 1}\n") ==
          "compose.yaml:6:9: services.web.deploy.resources: additional property \"limit\" is not allowed (did you mean "
          "\"limits\"?)");
}

} // TEST_SUITE
