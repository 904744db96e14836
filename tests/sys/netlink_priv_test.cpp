// rtnetlink and ctnetlink against the real kernel, each case in an empty network namespace
// of its own (gone with everything in it when the test's fd closes): links, addresses,
// routes and dumps read back, and the kernel's refusals as the errors callers test for.
#include "engine/network/netns.h"
#include "engine/sys/conntrack.h"
#include "engine/sys/netlink.h"

#include <algorithm>
#include <cerrno>
#include <doctest/doctest.h>
#include <sys/socket.h>

using namespace wharf;

namespace {

struct Namespace {
    sys::UniqueFd fd = *engine::create_netns();
    sys::Netlink nl = *sys::Netlink::open_in(fd.get());
};

std::optional<sys::LinkInfo> find_link(const std::vector<sys::LinkInfo>& links, const std::string& name)
{
    auto it = std::find_if(links.begin(), links.end(), [&](const auto& l) { return l.name == name; });
    return it == links.end() ? std::nullopt : std::optional(*it);
}

} // namespace

TEST_SUITE("sys.netlink") {

TEST_CASE("Netlink_BridgeAndVethReadBackFromADump")
{
    Namespace ns;
    REQUIRE(ns.nl.add_bridge("br0"));
    REQUIRE(ns.nl.add_veth("va", "vb"));
    int br = *ns.nl.link_index("br0");
    int va = *ns.nl.link_index("va");
    REQUIRE(ns.nl.set_master(va, br));
    REQUIRE(ns.nl.set_up(br));
    REQUIRE(ns.nl.set_name(*ns.nl.link_index("vb"), "vc"));

    auto links = ns.nl.links();
    REQUIRE(links);
    auto bridge = find_link(*links, "br0");
    REQUIRE(bridge);
    CHECK(bridge->kind == "bridge");
    CHECK(bridge->up);
    CHECK(bridge->mac.size() == 17);
    auto veth = find_link(*links, "va");
    REQUIRE(veth);
    CHECK(veth->kind == "veth");
    CHECK(veth->master == br);
    CHECK(find_link(*links, "vc"));
    CHECK_FALSE(find_link(*links, "vb"));
    CHECK(find_link(*links, "lo"));
}

TEST_CASE("Netlink_KernelRefusalsNameTheRequest")
{
    Namespace ns;
    REQUIRE(ns.nl.add_veth("va", "vb"));
    auto again = ns.nl.add_veth("va", "vx");
    REQUIRE_FALSE(again);
    CHECK(again.error().code() == Errc::Conflict);
    CHECK(again.error().sys_errno() == EEXIST);
    CHECK(again.error().summary() == "netlink RTM_NEWLINK veth \"va\" peer \"vx\": File exists");

    auto missing = ns.nl.link("nope");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == Errc::NotFound);
    CHECK(missing.error().summary() == "no network interface \"nope\"");

    REQUIRE(ns.nl.delete_link("va")); // and its peer with it
    auto gone = ns.nl.delete_link("vb");
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code() == Errc::NotFound);
    CHECK(gone.error().summary() == "no network interface \"vb\"");
    auto gone_index = ns.nl.delete_link(999);
    REQUIRE_FALSE(gone_index);
    CHECK(gone_index.error().summary() == "no network interface #999");

    // The socket is still in step after the failures: the next request gets its own answer.
    CHECK(ns.nl.link_index("lo"));
}

TEST_CASE("Netlink_AddressesAndRoutesReadBack")
{
    Namespace ns;
    REQUIRE(ns.nl.add_bridge("br0"));
    int br = *ns.nl.link_index("br0");
    REQUIRE(ns.nl.set_up(br));
    REQUIRE(ns.nl.add_address(br, "10.89.0.1", 24));
    REQUIRE(ns.nl.add_address(br, "fd00:89::1", 64));
    REQUIRE(ns.nl.add_route("", 0, "10.89.0.254", br));
    REQUIRE(ns.nl.add_route("10.90.0.0", 16, "10.89.0.254", 0));

    auto v4 = ns.nl.addresses(AF_INET);
    REQUIRE(v4);
    CHECK(std::any_of(v4->begin(), v4->end(), [&](const sys::AddressInfo& a) {
        return a.index == br && a.address == "10.89.0.1" && a.prefix == 24;
    }));
    auto v6 = ns.nl.addresses(AF_INET6);
    REQUIRE(v6);
    CHECK(std::any_of(v6->begin(), v6->end(), [&](const sys::AddressInfo& a) {
        return a.index == br && a.address == "fd00:89::1" && a.prefix == 64;
    }));

    auto routes = ns.nl.routes(AF_INET);
    REQUIRE(routes);
    CHECK(std::any_of(routes->begin(), routes->end(), [&](const sys::RouteInfo& r) {
        return r.destination.empty() && r.prefix == 0 && r.gateway == "10.89.0.254" && r.oif == br;
    }));
    CHECK(std::any_of(routes->begin(), routes->end(), [&](const sys::RouteInfo& r) {
        return r.destination == "10.90.0.0" && r.prefix == 16 && r.gateway == "10.89.0.254";
    }));

    auto twice = ns.nl.add_address(br, "10.89.0.1", 24);
    REQUIRE_FALSE(twice);
    CHECK(twice.error().summary() ==
          "netlink RTM_NEWADDR 10.89.0.1/24 on #" + std::to_string(br) + ": File exists");
}

TEST_CASE("Conntrack_NothingToForgetInAnEmptyNamespace")
{
    Namespace ns;
    auto forgotten =
        engine::run_in_netns(ns.fd.get(), [] { return sys::forget_udp_dnat_flows("10.89.0.2", {53}); });
    REQUIRE_MESSAGE(forgotten, (forgotten ? "" : forgotten.error().summary()));
    CHECK(*forgotten == 0);
}

} // TEST_SUITE
