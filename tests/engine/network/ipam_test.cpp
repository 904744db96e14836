// Subnets carved from pools and addresses chosen in them, as Docker's default IPAM does.
#include "engine/network/ipam.h"

#include <doctest/doctest.h>

using namespace wharf::engine;

namespace {
Ipv4Subnet net(std::string_view cidr) { return *Ipv4Subnet::parse(cidr); }
} // namespace

TEST_SUITE("network.ipam") {

TEST_CASE("Ipv4Subnet_ParseNormalisesAndRejects")
{
    CHECK(net("10.89.3.7/24").to_string() == "10.89.3.0/24");
    CHECK(Ipv4Subnet::parse("10.89.0.0").error().summary() == "invalid CIDR address: 10.89.0.0");
    CHECK(Ipv4Subnet::parse("10.89.0.0/33").error().summary() == "invalid CIDR address: 10.89.0.0/33");
    CHECK(Ipv4Subnet::parse("10.89.0/24").error().summary() == "invalid CIDR address: 10.89.0/24");
}

TEST_CASE("Ipv4Subnet_Overlaps")
{
    CHECK(net("10.89.0.0/16").overlaps(net("10.89.5.0/24")));
    CHECK(net("10.89.5.0/24").overlaps(net("10.89.0.0/16")));
    CHECK_FALSE(net("10.89.5.0/24").overlaps(net("10.89.6.0/24")));
    CHECK(net("0.0.0.0/0").overlaps(net("192.0.2.0/24")));
}

TEST_CASE("ChooseSubnet_FirstFreeInPoolOrder")
{
    auto pools = default_address_pools();
    CHECK(choose_subnet(pools, {})->to_string() == "10.89.0.0/24");
    CHECK(choose_subnet(pools, {net("10.89.0.0/24"), net("10.89.1.0/24"), net("192.0.2.0/24")})->to_string() ==
          "10.89.2.0/24");
    // A host route covering part of the pool pushes past it.
    CHECK(choose_subnet(pools, {net("10.89.0.0/23")})->to_string() == "10.89.2.0/24");
}

TEST_CASE("ChooseSubnet_ExhaustedPoolsAreAConflict")
{
    std::vector<AddressPool> pools{{net("10.89.0.0/23"), 24}};
    auto r = choose_subnet(pools, {net("10.89.0.0/24"), net("10.89.1.0/24")});
    REQUIRE(!r);
    CHECK(r.error().code() == wharf::Errc::Conflict);
    CHECK(r.error().summary() == "could not find an available, non-overlapping IPv4 address pool among the "
                                 "defaults to assign to the network");
}

TEST_CASE("ChooseAddress_LowestFreeSkippingGatewayAndBroadcast")
{
    auto s = net("10.89.4.0/30"); // .0 network, .1 gateway, .2 host, .3 broadcast
    uint32_t gw = gateway_of(s);
    CHECK(format_ipv4(gw) == "10.89.4.1");
    CHECK(format_ipv4(*choose_address(s, {gw})) == "10.89.4.2");
    auto full = choose_address(s, {gw, gw + 1});
    REQUIRE(!full);
    CHECK(full.error().summary() == "no available IPv4 addresses on network 10.89.4.0/30");
}

} // TEST_SUITE
