#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.networks") {

TEST_CASE("Networks_DefaultNetworkIsImplicit")
{
    Project p = project("name: shop\nservices:\n  web:\n    image: x\n  host:\n    image: x\n    network_mode: host\n");
    CHECK(p.services.at("web").networks.count("default") == 1);
    CHECK(p.services.at("host").networks.empty());
    REQUIRE(p.networks.count("default"));
    CHECK(p.networks.at("default").name == "shop_default");
}

TEST_CASE("Networks_ServiceSettingsAndTopLevelNames")
{
    Project p = project("name: shop\nservices:\n  web:\n    image: x\n    networks:\n      front:\n"
                        "        aliases: [w]\n        ipv4_address: 10.0.0.5\n        priority: 10\n      back:\n"
                        "networks:\n  front:\n    driver: bridge\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n"
                        "  back:\n    external: true\n  unused:\n    name: custom\n");
    const auto& web = p.services.at("web");
    CHECK_FALSE(web.networks.count("default"));
    REQUIRE(web.networks.at("front"));
    CHECK(web.networks.at("front")->aliases == std::vector<std::string>{"w"});
    CHECK(web.networks.at("front")->ipv4_address == "10.0.0.5");
    CHECK(web.networks.at("front")->priority == 10);
    CHECK_FALSE(web.networks.at("back"));
    CHECK(p.networks.at("front").name == "shop_front");
    REQUIRE(p.networks.at("front").ipam.config.size() == 1);
    CHECK(p.networks.at("front").ipam.config[0].subnet == "10.0.0.0/24");
    CHECK(p.networks.at("back").name == "back"); // external: its own name
    CHECK(p.networks.at("back").external);
    CHECK_FALSE(p.networks.count("unused")); // as docker compose: unused networks are left out
}

TEST_CASE("Networks_ListFormEqualsMapWithoutSettings")
{
    auto a = service("services:\n  web:\n    image: x\n    networks: [front]\nnetworks:\n  front: {}\n");
    auto b = service("services:\n  web:\n    image: x\n    networks:\n      front:\nnetworks:\n  front: {}\n");
    CHECK(a.networks == b.networks);
}

TEST_CASE("Networks_Errors")
{
    auto r = load("services:\n  web:\n    image: x\n    networks: [front]\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().render() == "compose.yaml:4:16: services.web.networks: refers to undefined network \"front\"\n"
                                "    4 |     networks: [front]\n"
                                "      |                ^\n");
    CHECK(error_of("services:\n  web:\n    image: x\n    networks: [front]\n    network_mode: host\n"
                   "networks:\n  front: {}\n") ==
          "compose.yaml:5:5: services.web: declares mutually exclusive `network_mode` and `networks`");
    CHECK(error_of("services:\n  web:\n    image: x\n    network_mode: service:db\n") ==
          "compose.yaml:4:19: services.web.network_mode: refers to undefined service \"db\"");
    CHECK(error_of("services:\n  web:\n    image: x\n    networks: {front: {aliases: w}}\nnetworks:\n  front: {}\n") ==
          "compose.yaml:4:33: services.web.networks.front.aliases: must be a list, not a string");
}

} // TEST_SUITE
