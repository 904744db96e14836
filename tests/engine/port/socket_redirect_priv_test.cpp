// The socket redirect against the real kernel: a namespace on a real bridge echoes TCP; a
// plain listener on the host holds the published port (as the monitor's proxy does) but never
// answers, so an echo can only come from the container, and getpeername() names it; UDP,
// other ports and other network namespaces are left alone; install replaces a container's
// entries; remove and sweep take exactly theirs (never another root's live ones) and detach
// the program with the last entry; without privileges install fails and leaves nothing; a
// program the verifier refuses comes back with its log.
#include "engine/port/dnat_rules.h"
#include "engine/port/socket_redirect.h"
#include "tests/engine/network/net_fixture.h"
#include "tests/engine/port/port_fixture.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

namespace {

using test::Container;
using test::EchoServer;
using test::tcp_echo;

/// The host side of a published port: bound and listening on 127.0.0.1, never accepted.
struct HeldPort {
    sys::UniqueFd fd = listen_here();
    uint16_t port = test::local_port(fd.get());

    static sys::UniqueFd listen_here()
    {
        sys::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd.get(), 16) == 0);
        return fd;
    }
};

std::string peer(int fd)
{
    sockaddr_in a{};
    socklen_t len = sizeof a;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        return "(not connected)";
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &a.sin_addr, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(ntohs(a.sin_port));
}

/// The peer of a TCP connect to ip:port from a socket bound to `source` first.
std::string bound_tcp_peer(const std::string& source, const std::string& ip, uint16_t port)
{
    sys::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &a.sin_addr);
    REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
    timeval tv{2, 0};
    setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        return "";
    return peer(fd.get());
}

/// The peer a TCP connect to ip:port from `netns` (-1: the host's) ends up with; "" if refused.
std::string tcp_peer(const std::string& ip, uint16_t port, int netns = -1)
{
    auto c = test::connect_from(netns, ip, port);
    return c ? peer(c.get()) : "";
}

std::string udp_peer(const std::string& ip, uint16_t port)
{
    sys::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
    REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    return peer(fd.get());
}

SocketRedirectState state()
{
    auto s = socket_redirect_state();
    REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().summary()));
    return *s;
}

/// The entries of `scope` in force, formatted.
std::vector<std::string> entries_of(const std::string& scope)
{
    std::vector<std::string> out;
    for (const auto& e : state().entries)
        if (e.value.scope == redirect_scope_tag(scope))
            out.push_back(format_redirect_entry(e));
    return out;
}

/// Whether any entry of any scope sends connections to `port` on the host.
bool any_entry_for(uint16_t port)
{
    for (const auto& e : state().entries)
        if (ntohs(e.key.port) == port)
            return true;
    return false;
}

std::string scope_of(const test::NetRoot& root)
{
    return dnat_scope(root.dir.path());
}

void install(const test::NetRoot& root, const Container& c, const std::vector<PublishedPort>& ports)
{
    auto r = install_socket_redirect(scope_of(root), c.id, c.ep.ipv4, ports);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().summary()));
}

std::string s(uint16_t port)
{
    return std::to_string(port);
}

} // namespace

TEST_SUITE("port.redirect") {

TEST_CASE("SocketRedirect_LoopbackTcpConnectReachesTheContainerOthersAreLeftAlone")
{
    test::NetRoot root;
    auto name = test::unique_name("sr");
    auto net = root.store.create({name, NetworkDriver::Bridge, {}, {}, "", "", false});
    REQUIRE(net.has_value());
    Container c(root, name, std::string(60, 'c') + "0001");
    EchoServer echo(c.ns.get(), 7);
    HeldPort held, other;
    REQUIRE(tcp_peer("127.0.0.1", held.port) == "127.0.0.1:" + s(held.port)); // the host's listener

    install(root, c, {{"127.0.0.1", held.port, 7, PortProto::Tcp}, {"::", held.port, 7, PortProto::Tcp}});
    CHECK(state().attached);
    CHECK(entries_of(scope_of(root)) ==
          std::vector<std::string>{"127.0.0.1:" + s(held.port) + " -> " + c.ep.ipv4 + ":7"});
    // The connection goes straight to the container: its address is the peer, it echoes.
    CHECK(tcp_peer("127.0.0.1", held.port) == c.ep.ipv4 + ":7");
    CHECK(tcp_echo("127.0.0.1", held.port) == "ping");
    // UDP, another port, another address, another network namespace: untouched.
    CHECK(udp_peer("127.0.0.1", held.port) == "127.0.0.1:" + s(held.port));
    CHECK(tcp_peer("127.0.0.1", other.port) == "127.0.0.1:" + s(other.port));
    CHECK(tcp_peer("127.0.0.2", held.port) == ""); // the listener is on 127.0.0.1 only
    // Bound to a loopback source first: the container could not answer it (DNAT serves it).
    CHECK(bound_tcp_peer("127.0.0.1", "127.0.0.1", held.port) == "127.0.0.1:" + s(held.port));
    CHECK(bound_tcp_peer(net->gateway, "127.0.0.1", held.port) == c.ep.ipv4 + ":7"); // another source: fine
    Container client(root, name, std::string(60, 'c') + "0005"); // another container
    {
        auto lo = test::listen_in(client.ns.get(), "127.0.0.1", held.port); // its own 127.0.0.1:port
        CHECK(tcp_peer("127.0.0.1", held.port, client.ns.get()) == "127.0.0.1:" + s(held.port));
    }

    // Installing again (a restart) with another port replaces the container's entries.
    install(root, c, {{"0.0.0.0", other.port, 7, PortProto::Tcp}});
    CHECK(entries_of(scope_of(root)) ==
          std::vector<std::string>{"127.0.0.1:" + s(other.port) + " -> " + c.ep.ipv4 + ":7"});
    CHECK(tcp_peer("127.0.0.1", held.port) == "127.0.0.1:" + s(held.port));
    CHECK(tcp_peer("127.0.0.1", other.port) == c.ep.ipv4 + ":7");

    // remove takes them, and with the last entry of the host, the program.
    REQUIRE(remove_socket_redirect(scope_of(root), c.id).has_value());
    CHECK(entries_of(scope_of(root)).empty());
    CHECK(tcp_peer("127.0.0.1", other.port) == "127.0.0.1:" + s(other.port));
    if (state().entries.empty())
        CHECK_FALSE(state().attached);
    REQUIRE(remove_socket_redirect(scope_of(root), c.id).has_value()); // nothing left: still fine
}

TEST_CASE("SocketRedirect_SweepTakesItsDeadAndUnheldPortsNeverAnotherRootsLiveOnes")
{
    test::NetRoot root, other;
    auto name = test::unique_name("sr");
    auto net = root.store.create({name, NetworkDriver::Bridge, {}, {}, "", "", false});
    REQUIRE(net.has_value());
    Container live(root, name, std::string(60, 'c') + "0002");
    Container dead(root, name, std::string(60, 'c') + "0003");
    Container theirs(root, name, std::string(60, 'c') + "0004"); // installed under the other root
    HeldPort p_live, p_dead, p_theirs;
    install(root, live, {{"127.0.0.1", p_live.port, 7, PortProto::Tcp}});
    install(root, dead, {{"127.0.0.1", p_dead.port, 7, PortProto::Tcp}});
    install(other, theirs, {{"127.0.0.1", p_theirs.port, 7, PortProto::Tcp}});

    // `dead` is not live: its entry goes, though its port is still held.
    auto swept = sweep_socket_redirect(scope_of(root), {live.id});
    REQUIRE_MESSAGE(swept.has_value(), (swept ? "" : swept.error().summary()));
    CHECK(*swept == 1);
    CHECK(entries_of(scope_of(root)) ==
          std::vector<std::string>{"127.0.0.1:" + s(p_live.port) + " -> " + live.ep.ipv4 + ":7"});
    CHECK(entries_of(scope_of(other)).size() == 1); // not this root's to judge: its port is held

    // The other root's monitor is gone with its root (nothing holds the port): any sweep takes it.
    p_theirs.fd.reset();
    swept = sweep_socket_redirect(scope_of(root), {live.id});
    REQUIRE(swept.has_value());
    CHECK(*swept == 1);
    CHECK(entries_of(scope_of(other)).empty());
    CHECK_FALSE(any_entry_for(p_theirs.port));
    CHECK(entries_of(scope_of(root)).size() == 1);

    REQUIRE(sweep_socket_redirect(scope_of(root), {}).has_value());
    CHECK(entries_of(scope_of(root)).empty());
    if (state().entries.empty())
        CHECK_FALSE(state().attached);
}

TEST_CASE("SocketRedirect_WithoutPrivilegesFailsAndLeavesNothing")
{
    // A user namespace of our own has no CAP_BPF/CAP_SYS_ADMIN over the host: bpf(2) refuses,
    // as on a host that does not allow it; install() must fail cleanly (the caller keeps DNAT).
    HeldPort held;
    const std::string id(64, '9');
    auto child = test::run_unprivileged([&] {
        auto r =
            install_socket_redirect("0000beef", id, "10.255.252.2", {{"127.0.0.1", held.port, 80, PortProto::Tcp}});
        return r ? std::string() : r.error().summary();
    });
    const std::string& msg = child.message;
    CHECK_MESSAGE(child.failed, msg);
    CHECK_MESSAGE(msg.starts_with("socket redirect for container 999999999999: bpf(2) "), msg);
    CHECK_MESSAGE(msg.ends_with(": Operation not permitted"), msg);
    CHECK_FALSE(any_entry_for(held.port));
}

TEST_CASE("SocketRedirect_NothingToRedirectTouchesNoBpf")
{
    // UDP and IPv6 only: no entry, so nothing may be loaded or attached for it (and a host
    // without BPF sees no error).
    HeldPort held;
    const bool before = state().attached;
    auto r = install_socket_redirect(
        "0000beef", std::string(64, '8'), "10.255.252.3",
        {{"0.0.0.0", held.port, 53, PortProto::Udp}, {"::", held.port, 80, PortProto::Tcp}});
    REQUIRE(r.has_value());
    CHECK(state().attached == before);
    CHECK_FALSE(any_entry_for(held.port));
}

TEST_CASE("SocketRedirect_AProgramTheVerifierRefusesFailsWithItsLog")
{
    // Without the test of the lookup's result, the program would write through a NULL
    // pointer: the verifier refuses, and the error must say so in its words.
    auto fd = load_connect4_program(connect4_program(-1)); // fd -1: not even a map
    REQUIRE_FALSE(fd.has_value());
    CHECK_MESSAGE(fd.error().summary().starts_with("bpf(2) BPF_PROG_LOAD wharf_connect4 (verifier: "),
                  fd.error().summary());

    auto map = create_redirect_map();
    REQUIRE_MESSAGE(map.has_value(), (map ? "" : map.error().summary()));
    REQUIRE(load_connect4_program(connect4_program(map->get())).has_value()); // the real one passes
    Connect4Program broken = connect4_program(map->get());
    for (auto& insn : broken)
        if (insn.code == (BPF_JMP | BPF_JEQ | BPF_K) && insn.dst_reg == 0) // if r0 == 0 goto allow
            insn = bpf_insn{BPF_ALU64 | BPF_MOV | BPF_X, 3, 0, 0, 0}; // r3 = r0: a no-op in its place
    auto refused = load_connect4_program(broken);
    REQUIRE_FALSE(refused.has_value());
    CHECK_MESSAGE(refused.error().summary().find("R0 invalid mem access 'map_value_or_null'") != std::string::npos,
                  refused.error().summary());
    CHECK_MESSAGE(refused.error().summary().ends_with("): Permission denied"), refused.error().summary());
}

}
