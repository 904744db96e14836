// The kernel DNAT fast path against the real kernel: a namespace on a real bridge serves
// TCP and UDP echo; rules installed for a host port that nothing on the host listens on, so
// an answer can only come through DNAT (the userland proxy is out of the picture); the
// rules' counters count it; a host-IP binding is not reachable on another loopback address;
// remove and sweep delete exactly their container's chains, never another state root's;
// a stale chain forwarding a port is replaced by the next container publishing it.
#include "engine/port/dnat_rules.h"
#include "engine/port/nftables.h"
#include "engine/port/port_dnat.h"
#include "tests/engine/network/net_fixture.h"
#include "tests/engine/port/port_fixture.h"

#include <doctest/doctest.h>
#include <regex>
#include <set>

using namespace wharf;
using namespace wharf::engine;

namespace {

using test::Container;
using test::EchoServer;
using test::tcp_echo;

/// A port nothing on the host listens on, as far as a bind can tell; never the same twice.
uint16_t unused_port()
{
    static std::set<uint16_t> given;
    for (;;) {
        sys::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        if (given.insert(test::local_port(fd.get())).second)
            return test::local_port(fd.get());
    }
}

std::string udp_echo(const std::string& ip, uint16_t port)
{
    sys::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    timeval tv{1, 0};
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
    (void)::sendto(fd.get(), "dgram", 5, 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
    char buf[64];
    ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

std::string listing()
{
    auto nft = Nftables::create();
    REQUIRE(nft.has_value());
    auto out = nft->run("add table ip wharf\nlist table ip wharf\n");
    REQUIRE_MESSAGE(out.has_value(), (out ? "" : out.error().summary()));
    return *out;
}

/// The packet counter of the DNAT rule for `proto` dport `port` in the container's -out chain.
long dnat_packets(const std::string& text, const std::string& proto, uint16_t port)
{
    std::smatch m;
    std::regex re(proto + " dport " + std::to_string(port) + " counter packets ([0-9]+) bytes [0-9]+ dnat to");
    return std::regex_search(text, m, re) ? std::stol(m[1]) : -1;
}

/// The tests that count the DNAT rules' packets turn the socket redirect (socket_redirect.h)
/// off: it would take loopback TCP connections before their first packet reaches a rule.
struct SocketRedirectOff {
    SocketRedirectOff() { ::setenv("WHARF_SOCKET_REDIRECT", "0", 1); }
    ~SocketRedirectOff() { ::unsetenv("WHARF_SOCKET_REDIRECT"); }
};

} // namespace

TEST_SUITE("port.dnat") {

TEST_CASE("PortDnat_ServesTcpAndUdpWithoutListenerHonoursHostIpAndRemoves")
{
    SocketRedirectOff redirect_off;
    test::NetRoot root;
    auto name = test::unique_name("dn");
    auto net = root.store.create({name, NetworkDriver::Bridge, {}, {}, "", "", false});
    REQUIRE(net.has_value());
    Container c(root, name, std::string(60, 'd') + "0001");
    EchoServer echo(c.ns.get(), 7);
    uint16_t port = unused_port();
    std::vector<PublishedPort> ports = {{"127.0.0.1", port, 7, PortProto::Tcp}, {"127.0.0.1", port, 7, PortProto::Udp}};
    REQUIRE(tcp_echo("127.0.0.1", port) == ""); // nothing on the host serves it

    auto r = install_port_dnat(root.dir.path(), c.id, {c.ep.ipv4, net->subnet, net->bridge}, ports);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().summary()));
    auto before = listing();
    const std::string prefix = dnat_chain_prefix(dnat_scope(root.dir.path()), c.id);
    CHECK(before.find("chain " + prefix + "-out {") != std::string::npos);
    CHECK(before.find("chain " + prefix + "-post {") != std::string::npos);
    CHECK(before.find("chain guard-" + net->bridge + " {") != std::string::npos);
    CHECK(dnat_packets(before, "tcp", port) == 0);

    CHECK(tcp_echo("127.0.0.1", port) == "ping");
    CHECK(udp_echo("127.0.0.1", port) == "dgram");
    auto after = listing();
    CHECK(dnat_packets(after, "tcp", port) == 1); // one new connection: its first packet
    CHECK(dnat_packets(after, "udp", port) == 1);
    // Bound to 127.0.0.1: another loopback address of the host does not reach the container.
    CHECK(tcp_echo("127.0.0.2", port) == "");
    CHECK(sys::read_file("/proc/sys/net/ipv4/conf/" + net->bridge + "/route_localnet").value_or("") == "1\n");

    // A restart re-installs: still one rule per port, not two.
    REQUIRE(install_port_dnat(root.dir.path(), c.id, {c.ep.ipv4, net->subnet, net->bridge}, ports).has_value());
    auto again = listing();
    CHECK(std::count(again.begin(), again.end(), '\n') == std::count(after.begin(), after.end(), '\n'));

    REQUIRE(remove_port_dnat(root.dir.path(), c.id).has_value());
    CHECK(listing().find(prefix) == std::string::npos);
    CHECK(tcp_echo("127.0.0.1", port) == "");
    REQUIRE(remove_port_dnat(root.dir.path(), c.id).has_value()); // nothing left: still fine
}

TEST_CASE("PortDnat_AllAddressesServesEveryLocalIpv4")
{
    SocketRedirectOff redirect_off;
    test::NetRoot root;
    auto name = test::unique_name("dn");
    auto net = root.store.create({name, NetworkDriver::Bridge, {}, {}, "", "", false});
    REQUIRE(net.has_value());
    Container c(root, name, std::string(60, 'd') + "0002");
    EchoServer echo(c.ns.get(), 7);
    uint16_t port = unused_port();
    REQUIRE(install_port_dnat(root.dir.path(), c.id, {c.ep.ipv4, net->subnet, net->bridge},
                              {{"0.0.0.0", port, 7, PortProto::Tcp}})
                .has_value());
    CHECK(tcp_echo("127.0.0.1", port) == "ping");
    CHECK(tcp_echo("127.0.0.2", port) == "ping");
    CHECK(tcp_echo(net->gateway, port) == "ping"); // a host address (the bridge's)
    CHECK(dnat_packets(listing(), "tcp", port) == 3);
    REQUIRE(remove_port_dnat(root.dir.path(), c.id).has_value());
}

TEST_CASE("PortDnat_SweepRemovesOnlyDeadContainersOfItsOwnRoot")
{
    test::NetRoot root, other;
    auto name = test::unique_name("dn");
    auto net = root.store.create({name, NetworkDriver::Bridge, {}, {}, "", "", false});
    REQUIRE(net.has_value());
    Container live(root, name, std::string(60, 'e') + "0001");
    Container dead(root, name, std::string(60, 'e') + "0002");
    DnatTarget t{live.ep.ipv4, net->subnet, net->bridge};
    uint16_t p1 = unused_port(), p2 = unused_port(), p3 = unused_port();
    REQUIRE(install_port_dnat(root.dir.path(), live.id, t, {{"127.0.0.1", p1, 7, PortProto::Tcp}}).has_value());
    REQUIRE(install_port_dnat(root.dir.path(), dead.id, {dead.ep.ipv4, net->subnet, net->bridge},
                              {{"127.0.0.1", p2, 7, PortProto::Tcp}})
                .has_value());
    // The same container id under another state root: not this root's to sweep.
    REQUIRE(install_port_dnat(other.dir.path(), dead.id, t, {{"127.0.0.1", p3, 7, PortProto::Tcp}}).has_value());

    auto swept = sweep_port_dnat(root.dir.path(), {live.id});
    REQUIRE_MESSAGE(swept.has_value(), (swept ? "" : swept.error().summary()));
    CHECK(*swept == 1);
    auto text = listing();
    CHECK(text.find(dnat_chain_prefix(dnat_scope(root.dir.path()), live.id)) != std::string::npos);
    CHECK(text.find(dnat_chain_prefix(dnat_scope(root.dir.path()), dead.id)) == std::string::npos);
    CHECK(text.find(dnat_chain_prefix(dnat_scope(other.dir.path()), dead.id)) != std::string::npos);

    // A new container publishing the port a stale chain of another root still forwards (its
    // monitor died, its root is gone: no sweep will ever come): the stale chain goes.
    Container next(root, name, std::string(60, 'e') + "0003");
    EchoServer echo(next.ns.get(), 7);
    REQUIRE(install_port_dnat(root.dir.path(), next.id, {next.ep.ipv4, net->subnet, net->bridge},
                              {{"127.0.0.1", p3, 7, PortProto::Tcp}})
                .has_value());
    text = listing();
    CHECK(text.find(dnat_chain_prefix(dnat_scope(other.dir.path()), dead.id)) == std::string::npos);
    CHECK(text.find(dnat_chain_prefix(dnat_scope(root.dir.path()), live.id)) != std::string::npos); // other port
    CHECK(tcp_echo("127.0.0.1", p3) == "ping");

    REQUIRE(sweep_port_dnat(root.dir.path(), {}).has_value());
    REQUIRE(sweep_port_dnat(other.dir.path(), {}).has_value());
    text = listing();
    CHECK(text.find("w" + dnat_scope(root.dir.path()) + "-") == std::string::npos);
    CHECK(text.find("w" + dnat_scope(other.dir.path()) + "-") == std::string::npos);
}

TEST_CASE("PortDnat_PreroutingAndHairpinRulesAreAcceptedByTheKernel")
{
    // ip_forward is 0 on the test machine, so install() leaves prerouting out; the text it
    // would send with forwarding on must still be valid for this kernel and libnftables.
    const std::string scope = dnat_scope("/nonexistent/prerouting-test/" + std::to_string(getpid()));
    DnatPlan plan;
    plan.scope = scope;
    plan.container_id = std::string(64, 'f');
    plan.address = "10.255.254.2"; // no such network: the rules only need to be accepted
    plan.subnet = "10.255.254.0/24";
    plan.prerouting = true;
    plan.ports = {{"0.0.0.0", 1, 80, PortProto::Tcp}, {"192.0.2.1", 2, 53, PortProto::Udp}};
    auto nft = Nftables::create();
    REQUIRE(nft.has_value());
    auto r = nft->run(dnat_install_script(plan));
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().summary()));
    auto text = listing();
    const std::string prefix = dnat_chain_prefix(scope, plan.container_id);
    CHECK(text.find("chain " + prefix + "-pre {") != std::string::npos);
    CHECK(text.find("ct status dnat ip saddr 10.255.254.0/24 ip daddr 10.255.254.2 tcp dport 80") != std::string::npos);
    REQUIRE(nft->run(dnat_remove_script(scope, plan.container_id)).has_value());
    CHECK(listing().find(prefix) == std::string::npos);
}

TEST_CASE("PortDnat_WithoutNetAdminFailsAndLeavesNoRule")
{
    // A user namespace of our own has no CAP_NET_ADMIN over the host's network namespace:
    // nf_tables refuses, as on a host without it; install() must fail cleanly (the caller then
    // keeps the proxy alone) and leave nothing behind.
    test::NetRoot root;
    const std::string id(64, '9');
    auto child = test::run_unprivileged([&] {
        auto r = install_port_dnat(root.dir.path(), id, {"10.255.253.2", "10.255.253.0/24", ""},
                                   {{"127.0.0.1", 1, 80, PortProto::Tcp}});
        return r ? std::string() : r.error().summary();
    });
    const std::string& msg = child.message;
    CHECK_MESSAGE(child.failed, msg);
    CHECK(msg.starts_with("kernel DNAT for container 999999999999: nft: "));
    CHECK(msg.find("Operation not permitted") != std::string::npos);
    CHECK(listing().find(dnat_chain_prefix(dnat_scope(root.dir.path()), id)) == std::string::npos);
}

TEST_CASE("PortDnat_RemoveForgetsUdpFlowsSoTheNextContainerGetsThem")
{
    test::NetRoot root;
    auto name = test::unique_name("dn");
    auto net = root.store.create({name, NetworkDriver::Bridge, {}, {}, "", "", false});
    REQUIRE(net.has_value());
    Container a(root, name, std::string(60, 'a') + "0003");
    Container b(root, name, std::string(60, 'b') + "0003");
    EchoServer echo_a(a.ns.get(), 7, "A:");
    EchoServer echo_b(b.ns.get(), 7, "B:");
    uint16_t port = unused_port();
    std::vector<PublishedPort> ports = {{"127.0.0.1", port, 7, PortProto::Udp}};
    REQUIRE(install_port_dnat(root.dir.path(), a.id, {a.ep.ipv4, net->subnet, net->bridge}, ports).has_value());

    // One client socket, one source port: one conntrack flow for all its datagrams.
    sys::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    timeval tv{1, 0};
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    auto ask = [&] {
        (void)::sendto(fd.get(), "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
        char buf[64];
        ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    };
    CHECK(ask() == "A:x");

    // The port moves to container B (A is still up: a stale flow would still reach it).
    REQUIRE(remove_port_dnat(root.dir.path(), a.id).has_value());
    REQUIRE(install_port_dnat(root.dir.path(), b.id, {b.ep.ipv4, net->subnet, net->bridge}, ports).has_value());
    CHECK(ask() == "B:x");
    REQUIRE(remove_port_dnat(root.dir.path(), b.id).has_value());
}

}
