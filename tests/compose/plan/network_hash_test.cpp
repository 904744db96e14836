#include "compose/plan/network_hash.h"

#include <doctest/doctest.h>

using namespace wharf::compose;

TEST_SUITE("compose.plan") {

TEST_CASE("NetworkHash_CoversWhatTheEngineFixesAtCreate")
{
    NetworkConfig a;
    NetworkConfig b = a;
    b.driver = "bridge";
    b.enable_ipv6 = false;
    b.name = "renamed";       // the engine name is not the network's config
    b.external = false;
    CHECK(network_config_hash(a) == network_config_hash(b));
    CHECK(network_config_hash(a).size() == 64);
    CHECK(canonical_network_json(a) ==
          R"({"attachable":false,"driver":"bridge","driver_opts":{},"enable_ipv6":false,)"
          R"("internal":false,"ipam":{"config":[],"driver":"","options":{}},"labels":{}})");
    auto changed = [&](auto edit) {
        NetworkConfig c = a;
        edit(c);
        return changed_network_fields(canonical_network_json(a), canonical_network_json(c));
    };
    using V = std::vector<std::string>;
    CHECK(changed([](NetworkConfig& c) { c.driver = "macvlan"; }) == V{"driver"});
    CHECK(changed([](NetworkConfig& c) { c.driver_opts["com.docker.network.driver.mtu"] = "1400"; }) == V{"driver_opts"});
    CHECK(changed([](NetworkConfig& c) { c.ipam.config.push_back({"10.5.0.0/24", "", "", {}, {}}); }) == V{"ipam"});
    CHECK(changed([](NetworkConfig& c) { c.internal = true; }) == V{"internal"});
    CHECK(changed([](NetworkConfig& c) { c.enable_ipv6 = true; }) == V{"enable_ipv6"});
    CHECK(changed([](NetworkConfig& c) { c.attachable = true; }) == V{"attachable"});
    CHECK(changed([](NetworkConfig& c) {
              c.labels["com.example.tier"] = "front";
              c.internal = true;
          }) == V{"internal", "labels"});
    CHECK(changed_network_fields("{", "{}") == V{"*"});
}

} // TEST_SUITE
