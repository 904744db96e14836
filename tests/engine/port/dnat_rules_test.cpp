// The kernel DNAT fast path's rule text (golden), what it serves, its scopes, and the parsing
// of `list chains` that sweeps rely on. Pure: nothing is sent to the kernel here.
#include "engine/port/dnat_rules.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

namespace {

const std::string kId(64, 'a');

DnatPlan plan(std::vector<PublishedPort> ports, bool prerouting = false)
{
    DnatPlan p;
    p.scope = "0123abcd";
    p.container_id = kId;
    p.address = "10.88.0.2";
    p.subnet = "10.88.0.0/24";
    p.bridge = "wharf0";
    p.prerouting = prerouting;
    p.ports = std::move(ports);
    return p;
}

const std::string kPrefix = "w0123abcd-" + kId;

std::string reset_lines()
{
    std::string out = "add table ip wharf\n";
    for (const char* s : {"-out", "-pre", "-post"})
        out += "add chain ip wharf " + kPrefix + s + "\ndelete chain ip wharf " + kPrefix + s + "\n";
    return out;
}

} // namespace

TEST_SUITE("port.dnat") {

TEST_CASE("DnatScope_StableAndDistinctPerRoot")
{
    CHECK(dnat_scope("/var/lib/wharf") == dnat_scope("/var/lib/wharf"));
    CHECK(dnat_scope("/var/lib/wharf") != dnat_scope("/tmp/wharf-e2e-abc/root"));
    CHECK(dnat_scope("").size() == 8);
    CHECK(dnat_scope("") == "811c9dc5"); // FNV-1a's offset basis: the hash is the documented one
}

TEST_CASE("DnatServes_Ipv4TcpAndUdpOnly")
{
    CHECK(dnat_serves({"0.0.0.0", 8080, 80, PortProto::Tcp}));
    CHECK(dnat_serves({"127.0.0.1", 5353, 53, PortProto::Udp}));
    CHECK(dnat_serves({"192.168.1.5", 8080, 80, PortProto::Tcp}));
    CHECK_FALSE(dnat_serves({"::", 8080, 80, PortProto::Tcp}));  // the container has IPv4 only: proxy
    CHECK_FALSE(dnat_serves({"::1", 8080, 80, PortProto::Tcp}));
    CHECK_FALSE(dnat_serves({"0.0.0.0", 8080, 80, PortProto::Sctp}));
    CHECK_FALSE(dnat_serves({"0.0.0.0", 0, 80, PortProto::Tcp})); // not yet chosen
}

TEST_CASE("DnatInstallScript_LoopbackBindingHasOutputMasqueradeAndGuard")
{
    auto text = dnat_install_script(plan({{"127.0.0.1", 8080, 80, PortProto::Tcp}, {"::1", 8080, 80, PortProto::Tcp}}));
    CHECK(text == reset_lines() +
                      "add chain ip wharf " + kPrefix + "-out { type nat hook output priority -100; policy accept; }\n"
                      "add rule ip wharf " + kPrefix + "-out ip daddr 127.0.0.1 tcp dport 8080 counter dnat to 10.88.0.2:80\n"
                      "add chain ip wharf " + kPrefix + "-post { type nat hook postrouting priority 100; policy accept; }\n"
                      "add rule ip wharf " + kPrefix + "-post ct status dnat ip saddr 127.0.0.0/8 ip daddr 10.88.0.2 tcp dport 80 counter masquerade\n"
                      "add chain ip wharf guard-wharf0 { type filter hook prerouting priority raw; policy accept; }\n"
                      "flush chain ip wharf guard-wharf0\n"
                      "add rule ip wharf guard-wharf0 iifname \"wharf0\" ip daddr 127.0.0.0/8 counter drop\n");
}

TEST_CASE("DnatInstallScript_AllAddressesWithForwardingAddsPreroutingAndHairpin")
{
    auto text = dnat_install_script(plan({{"0.0.0.0", 8080, 80, PortProto::Tcp},
                                          {"0.0.0.0", 8081, 80, PortProto::Tcp},
                                          {"0.0.0.0", 5353, 53, PortProto::Udp}},
                                         true));
    const std::string out = "add rule ip wharf " + kPrefix + "-out ";
    const std::string pre = "add rule ip wharf " + kPrefix + "-pre ";
    const std::string post = "add rule ip wharf " + kPrefix + "-post ct status dnat ip saddr ";
    CHECK(text == reset_lines() +
                      "add chain ip wharf " + kPrefix + "-out { type nat hook output priority -100; policy accept; }\n" +
                      out + "fib daddr type local tcp dport 8080 counter dnat to 10.88.0.2:80\n" +
                      out + "fib daddr type local tcp dport 8081 counter dnat to 10.88.0.2:80\n" +
                      out + "fib daddr type local udp dport 5353 counter dnat to 10.88.0.2:53\n"
                      "add chain ip wharf " + kPrefix + "-pre { type nat hook prerouting priority -100; policy accept; }\n" +
                      pre + "fib daddr type local tcp dport 8080 counter dnat to 10.88.0.2:80\n" +
                      pre + "fib daddr type local tcp dport 8081 counter dnat to 10.88.0.2:80\n" +
                      pre + "fib daddr type local udp dport 5353 counter dnat to 10.88.0.2:53\n"
                      "add chain ip wharf " + kPrefix + "-post { type nat hook postrouting priority 100; policy accept; }\n" +
                      post + "127.0.0.0/8 ip daddr 10.88.0.2 tcp dport 80 counter masquerade\n" +
                      post + "10.88.0.0/24 ip daddr 10.88.0.2 tcp dport 80 counter masquerade\n" +
                      post + "127.0.0.0/8 ip daddr 10.88.0.2 udp dport 53 counter masquerade\n" +
                      post + "10.88.0.0/24 ip daddr 10.88.0.2 udp dport 53 counter masquerade\n"
                      "add chain ip wharf guard-wharf0 { type filter hook prerouting priority raw; policy accept; }\n"
                      "flush chain ip wharf guard-wharf0\n"
                      "add rule ip wharf guard-wharf0 iifname \"wharf0\" ip daddr 127.0.0.0/8 counter drop\n");
}

TEST_CASE("DnatInstallScript_HostAddressBindingNeedsNoLoopbackSetup")
{
    auto text = dnat_install_script(plan({{"192.168.1.5", 8080, 80, PortProto::Tcp}}, true));
    CHECK(text.find("ip daddr 192.168.1.5 tcp dport 8080 counter dnat to 10.88.0.2:80") != std::string::npos);
    CHECK(text.find(kPrefix + "-pre ip daddr 192.168.1.5") != std::string::npos);
    CHECK(text.find("127.0.0.0/8") == std::string::npos); // no loopback masquerade, no guard
    CHECK(text.find("guard-") == std::string::npos);
    CHECK(text.find("fib daddr type local") == std::string::npos); // only that address
}

TEST_CASE("DnatInstallScript_EmptyWhenNothingIsServed")
{
    CHECK(dnat_install_script(plan({})) == "");
    CHECK(dnat_install_script(plan({{"::", 8080, 80, PortProto::Tcp}})) == "");
    auto no_address = plan({{"0.0.0.0", 8080, 80, PortProto::Tcp}});
    no_address.address = "";
    CHECK(dnat_install_script(no_address) == "");
}

TEST_CASE("DnatRemoveScript_DeletesOnlyTheContainersChains")
{
    CHECK(dnat_remove_script("0123abcd", kId) == reset_lines());
}

TEST_CASE("ParseDnatListing_OwnScopeAndGuards")
{
    const std::string other(64, 'b');
    std::string listing = "table ip wharf {\n"
                          "\tchain " + kPrefix + "-out {\n\t\ttype nat hook output priority -100; policy accept;\n\t}\n"
                          "\tchain " + kPrefix + "-post {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t}\n"
                          "\tchain w99999999-" + other + "-out {\n\t}\n"
                          "\tchain guard-wharf0 {\n\t}\n"
                          "\tchain guard-wh-0123456789ab {\n\t}\n"
                          "}\n";
    auto parsed = parse_dnat_listing(listing, "0123abcd");
    CHECK(parsed.container_ids == std::set<std::string>{kId});
    CHECK(parsed.guarded_bridges == std::set<std::string>{"wharf0", "wh-0123456789ab"});
    CHECK(parse_dnat_listing(listing, "99999999").container_ids == std::set<std::string>{other});
}

TEST_CASE("DnatSweepScript_StaleContainersAndGoneBridgesOnly")
{
    DnatListing l;
    const std::string live(64, 'c');
    l.container_ids = {kId, live};
    l.guarded_bridges = {"wharf0", "wh-gone"};
    auto text = dnat_sweep_script(l, "0123abcd", {live}, {"lo", "wharf0"});
    CHECK(text == reset_lines() + "add chain ip wharf guard-wh-gone\ndelete chain ip wharf guard-wh-gone\n");
    CHECK(dnat_sweep_script(l, "0123abcd", {kId, live}, {"wharf0", "wh-gone"}) == "");
}

TEST_CASE("ParseUdpForwards_FromAChainListing")
{
    std::string listing = "table ip wharf {\n\tchain " + kPrefix + "-out {\n"
                          "\t\ttype nat hook output priority -100; policy accept;\n"
                          "\t\tip daddr 127.0.0.1 tcp dport 8080 counter packets 3 bytes 180 dnat to 10.88.0.2:80\n"
                          "\t\tip daddr 127.0.0.1 udp dport 5353 counter packets 1 bytes 40 dnat to 10.88.0.2:53\n"
                          "\t\tfib daddr type local udp dport 5354 counter packets 0 bytes 0 dnat to 10.88.0.2:53\n"
                          "\t}\n}\n";
    auto f = parse_udp_forwards(listing);
    REQUIRE(f.size() == 1);
    CHECK(f["10.88.0.2"] == std::set<uint16_t>{5353, 5354});
    CHECK(parse_udp_forwards("").empty());
}

TEST_CASE("DnatConflictingChains_StaleForwardsOfTheSamePortOnOverlappingAddresses")
{
    auto chain = [](const std::string& prefix, const std::string& rule) {
        return "\tchain " + prefix + "-out {\n\t\ttype nat hook output priority -100; policy accept;\n\t\t" + rule +
               "\n\t}\n\tchain " + prefix + "-post {\n\t\tct status dnat ip saddr 127.0.0.0/8 ip daddr 10.88.0.9 tcp dport 8080 counter packets 0 bytes 0 masquerade\n\t}\n";
    };
    const std::string same_ip = "w11111111-" + std::string(64, '1');
    const std::string all = "w22222222-" + std::string(64, '2');
    const std::string other_ip = "w33333333-" + std::string(64, '3');
    const std::string other_port = "w44444444-" + std::string(64, '4');
    const std::string udp = "w55555555-" + std::string(64, '5');
    std::string listing = "table ip wharf {\n" +
                          chain(same_ip, "ip daddr 127.0.0.1 tcp dport 8080 counter packets 0 bytes 0 dnat to 10.88.0.9:80") +
                          chain(all, "fib daddr type local tcp dport 8080 counter packets 0 bytes 0 dnat to 10.88.0.8:80") +
                          chain(other_ip, "ip daddr 127.0.0.2 tcp dport 8080 counter packets 0 bytes 0 dnat to 10.88.0.7:80") +
                          chain(other_port, "ip daddr 127.0.0.1 tcp dport 80 counter packets 0 bytes 0 dnat to 10.88.0.6:80") +
                          chain(udp, "ip daddr 127.0.0.1 udp dport 8080 counter packets 0 bytes 0 dnat to 10.88.0.5:80") +
                          chain(kPrefix, "ip daddr 127.0.0.1 tcp dport 8080 counter packets 0 bytes 0 dnat to 10.88.0.2:80") + "}\n";
    // 127.0.0.1:8080/tcp: the same address, and the all-addresses one; not its own chain (a restart).
    CHECK(dnat_conflicting_chains(listing, plan({{"127.0.0.1", 8080, 80, PortProto::Tcp}})) ==
          std::vector<std::string>{same_ip, all});
    // 0.0.0.0:8080/tcp overlaps every address.
    CHECK(dnat_conflicting_chains(listing, plan({{"0.0.0.0", 8080, 80, PortProto::Tcp}})) ==
          std::vector<std::string>{same_ip, all, other_ip});
    CHECK(dnat_conflicting_chains(listing, plan({{"127.0.0.1", 8080, 80, PortProto::Udp}})) ==
          std::vector<std::string>{udp});
    CHECK(dnat_conflicting_chains(listing, plan({{"127.0.0.1", 9090, 80, PortProto::Tcp}})).empty());
    CHECK(dnat_remove_prefix_script(kPrefix) == reset_lines());
}

TEST_CASE("DnatInstallScript_FreshInstallDeletesNothing")
{
    auto p = plan({{"127.0.0.1", 8080, 80, PortProto::Tcp}});
    auto replacing = dnat_install_script(p);
    p.replace = false;
    auto fresh = dnat_install_script(p);
    CHECK(fresh.find("delete") == std::string::npos); // no destroy work, no RCU wait on close
    CHECK(replacing == reset_lines() + fresh.substr(std::string("add table ip wharf\n").size()));
    p.guard = false; // already there
    auto no_guard = dnat_install_script(p);
    CHECK(no_guard.find("guard-") == std::string::npos);
    CHECK(no_guard.find("flush") == std::string::npos);
}

}
