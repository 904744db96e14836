// Networks as kernel objects: bridges with their gateway, veth endpoints inside namespaces,
// leases, stale endpoints after a namespace vanished, and everything removed afterwards.
#include "tests/engine/network/net_fixture.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;
using wharf::test::NetRoot;

namespace {

sys::Netlink host_nl() { return *sys::Netlink::open(); }

bool link_exists(const std::string& name) { return host_nl().link(name).has_value(); }

NetworkRecord create(NetRoot& root, const std::string& name, std::map<std::string, std::string> labels = {})
{
    NetworkCreateOptions o;
    o.name = name;
    o.labels = std::move(labels);
    auto r = root.store.create(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().summary()));
    return *r;
}

Endpoint attach(NetRoot& root, const std::string& net, const std::string& cid, int netns, std::string ip = "")
{
    AttachRequest req{cid, "c-" + cid, {"alias-" + cid}, std::move(ip), "eth0", true};
    auto r = root.store.attach(net, req, netns);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().summary()));
    return *r;
}

} // namespace

TEST_SUITE("network.store") {

TEST_CASE("NetworkStore_PredefinedNetworks")
{
    NetRoot root;
    auto all = root.store.list();
    REQUIRE(all.has_value());
    std::vector<std::string> names;
    for (const auto& n : *all)
        names.push_back(n.name);
    CHECK(names == std::vector<std::string>{"bridge", "host", "none"});
    auto rm = root.store.remove("host");
    REQUIRE(!rm);
    CHECK(rm.error().summary() == "host is a pre-defined network and cannot be removed");
    CHECK(root.store.find("nosuch").error().summary() == "network nosuch not found");
}

TEST_CASE("NetworkStore_CreateMakesBridgeWithGatewayAndRemoveDeletesIt")
{
    NetRoot root;
    auto name = test::unique_name("n");
    auto n = create(root, name, {{"com.docker.compose.project", "p"}});
    CHECK(n.bridge == "wh-" + n.id.substr(0, 12));
    auto link = host_nl().link(n.bridge);
    REQUIRE(link.has_value());
    CHECK(link->kind == "bridge");
    CHECK(link->up);
    bool has_gw = false;
    auto addresses = *host_nl().addresses(AF_INET);
    for (const auto& a : addresses)
        has_gw = has_gw || (a.index == link->index && a.address == n.gateway);
    CHECK(has_gw);
    CHECK(n.subnet.ends_with("/24"));

    auto dup = root.store.create(NetworkCreateOptions{name, NetworkDriver::Bridge, {}, {}, "", "", false});
    REQUIRE(!dup);
    CHECK(dup.error().summary() == "network with name " + name + " already exists");
    // By id prefix too.
    CHECK(root.store.find(n.id.substr(0, 6))->name == name);

    REQUIRE(root.store.remove(name).has_value());
    CHECK_FALSE(link_exists(n.bridge));
    CHECK(root.store.find(name).error().code() == Errc::NotFound);
}

TEST_CASE("NetworkStore_TwoNetworksGetDistinctSubnets")
{
    NetRoot root;
    auto a = create(root, test::unique_name("a"));
    auto b = create(root, test::unique_name("b"));
    CHECK(a.subnet != b.subnet);
    CHECK_FALSE(Ipv4Subnet::parse(a.subnet)->overlaps(*Ipv4Subnet::parse(b.subnet)));
}

TEST_CASE("NetworkStore_EndpointsReachEachOtherOverTheBridge")
{
    NetRoot root;
    auto n = create(root, test::unique_name("e"));
    auto ns1 = test::new_netns();
    auto ns2 = test::new_netns();
    auto e1 = attach(root, n.name, "c1", ns1.get());
    auto e2 = attach(root, n.name, "c2", ns2.get());
    auto subnet = *Ipv4Subnet::parse(n.subnet);
    CHECK(e1.ipv4 == format_ipv4(subnet.base + 2));
    CHECK(e2.ipv4 == format_ipv4(subnet.base + 3));
    CHECK(e1.interface == "eth0");
    CHECK(e1.mac.size() == 17);
    CHECK(link_exists(e1.host_interface));
    CHECK(host_nl().link(e1.host_interface)->master == host_nl().link_index(n.bridge).value());

    // Container 2 serves; container 1 connects over the bridge; the host reaches it too.
    auto server = test::listen_in(ns2.get(), "0.0.0.0", 7000);
    auto c = test::connect_from(ns1.get(), e2.ipv4, 7000);
    CHECK(c.valid());
    auto h = test::connect_from(-1, e2.ipv4, 7000);
    CHECK(h.valid());
    // Default route via the gateway inside the container.
    auto inner = *sys::Netlink::open_in(ns1.get());
    bool default_via_gw = false;
    auto routes = *inner.routes(AF_INET);
    for (const auto& r : routes)
        default_via_gw = default_via_gw || (r.destination.empty() && r.gateway == n.gateway);
    CHECK(default_via_gw);

    auto again = root.store.attach(n.name, {"c1", "c-c1", {}, "", "eth1", false}, ns1.get());
    REQUIRE(!again);
    CHECK(again.error().summary() == "endpoint with name c-c1 already exists in network " + n.name);

    auto busy = root.store.remove(n.name);
    REQUIRE(!busy);
    CHECK(busy.error().summary() == "error while removing network: network " + n.name + " id " + n.id +
                                        " has active endpoints (c-c1, c-c2)");

    REQUIRE(root.store.detach(n.name, "c1").has_value());
    CHECK_FALSE(link_exists(e1.host_interface));
    CHECK(root.store.find(n.name)->endpoints.size() == 1);
}

TEST_CASE("NetworkStore_RequestedAddressAndConflicts")
{
    NetRoot root;
    auto n = create(root, test::unique_name("ip"));
    auto subnet = *Ipv4Subnet::parse(n.subnet);
    auto ns1 = test::new_netns();
    auto ns2 = test::new_netns();
    auto want = format_ipv4(subnet.base + 77);
    CHECK(attach(root, n.name, "c1", ns1.get(), want).ipv4 == want);
    auto taken = root.store.attach(n.name, {"c2", "c-c2", {}, want, "eth0", true}, ns2.get());
    REQUIRE(!taken);
    CHECK(taken.error().summary() == "Address already in use");
    auto outside = root.store.attach(n.name, {"c2", "c-c2", {}, "192.0.2.99", "eth0", true}, ns2.get());
    REQUIRE(!outside);
    CHECK(outside.error().summary() ==
          "invalid address 192.0.2.99: it does not belong to any of this network's subnets");
}

TEST_CASE("NetworkStore_StaleEndpointFreedWhenNamespaceVanishes")
{
    NetRoot root;
    auto n = create(root, test::unique_name("s"));
    std::string veth;
    {
        auto ns = test::new_netns();
        veth = attach(root, n.name, "gone", ns.get()).host_interface;
        CHECK(link_exists(veth));
    } // the last reference to the namespace closes: the kernel deletes both veth ends
    for (int i = 0; i < 50 && link_exists(veth); ++i)
        usleep(20000);
    CHECK_FALSE(link_exists(veth));
    auto found = root.store.find(n.name); // any read cleans up
    REQUIRE(found.has_value());
    CHECK(found->endpoints.empty());
    REQUIRE(root.store.remove(n.name).has_value());
}

TEST_CASE("NetworkStore_DefaultBridgeCreatedOnFirstAttach")
{
    NetRoot root;
    auto before = *root.store.find("bridge");
    CHECK(before.subnet.empty());
    CHECK_FALSE(link_exists(before.bridge));
    auto ns = test::new_netns();
    auto e = attach(root, "bridge", "d1", ns.get());
    auto after = *root.store.find("bridge");
    CHECK_FALSE(after.subnet.empty());
    CHECK(link_exists(after.bridge));
    CHECK(Ipv4Subnet::parse(after.subnet)->contains(*parse_ipv4(e.ipv4)));
}

TEST_CASE("NetworkStore_PruneRemovesUnusedMatchingLabels")
{
    NetRoot root;
    auto keep = create(root, test::unique_name("k"));
    auto drop = create(root, test::unique_name("d"), {{"x", "1"}});
    auto pruned = root.store.prune({{"x", "1"}});
    REQUIRE(pruned.has_value());
    CHECK(*pruned == std::vector<std::string>{drop.name});
    CHECK_FALSE(link_exists(drop.bridge));
    CHECK(link_exists(keep.bridge));
}

} // TEST_SUITE
