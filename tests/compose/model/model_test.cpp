#include "compose/model/project.h"

#include <doctest/doctest.h>

using namespace wharf::compose;

TEST_SUITE("compose.model") {

TEST_CASE("Duration_PrintsAsGo")
{
    CHECK(Duration{0}.to_string() == "0s");
    CHECK(Duration{90'000'000'000}.to_string() == "1m30s");
    CHECK(Duration{3'600'000'000'000}.to_string() == "1h0m0s");
    CHECK(Duration{1'500'000'000}.to_string() == "1.5s");
    CHECK(Duration{2'000'000'000}.to_string() == "2s");
    CHECK(Duration{500'000'000}.to_string() == "500ms");
    CHECK(Duration{1'500}.to_string() == "1.5µs");
    CHECK(Duration{42}.to_string() == "42ns");
}

TEST_CASE("VolumeType_RoundTripsItsWords")
{
    for (const char* w : {"bind", "volume", "tmpfs", "npipe", "cluster", "image"}) {
        auto t = parse_volume_type(w);
        REQUIRE(t);
        CHECK(std::string(to_string(*t)) == w);
    }
    CHECK_FALSE(parse_volume_type("nfs"));
}

TEST_CASE("ServiceCondition_RoundTripsItsWords")
{
    CHECK(parse_service_condition("service_healthy") == ServiceCondition::Healthy);
    CHECK(std::string(to_string(ServiceCondition::CompletedSuccessfully)) == "service_completed_successfully");
    CHECK_FALSE(parse_service_condition("healthy"));
}

TEST_CASE("ServiceConfig_ReplicasPreferDeployThenScale")
{
    ServiceConfig s;
    s.name = "web";
    CHECK(s.replica_count() == 1);
    s.scale = 3;
    CHECK(s.replica_count() == 3);
    s.deploy = DeployConfig{};
    s.deploy->replicas = 2;
    CHECK(s.replica_count() == 2);
    CHECK(s.image_name("shop") == "shop-web");
    s.image = "localhost/x:1";
    CHECK(s.image_name("shop") == "localhost/x:1");
}

TEST_CASE("Project_ProfilesAreSortedAndUnique")
{
    Project p;
    ServiceConfig a;
    a.name = "a";
    a.profiles = {"debug", "ops"};
    ServiceConfig b;
    b.name = "b";
    b.profiles = {"ops", "admin"};
    p.services["a"] = a;
    p.disabled_services["b"] = b;
    CHECK(p.all_profiles() == std::vector<std::string>{"admin", "debug", "ops"});
    CHECK(p.service_names() == std::vector<std::string>{"a"});
    CHECK(p.find_service("a") != nullptr);
    CHECK(p.find_service("b") == nullptr);
}

} // TEST_SUITE
