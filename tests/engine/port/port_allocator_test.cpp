// Host port choice and the "port is already allocated" error, on 127.0.0.1 only.
#include "engine/port/port_allocator.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace wharf;
using namespace wharf::engine;

namespace {

/// A listener on 127.0.0.1 with a kernel-chosen port, held by this process.
struct HeldPort {
    sys::UniqueFd fd{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    uint16_t port = 0;
    HeldPort()
    {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(listen(fd.get(), 1) == 0);
        socklen_t len = sizeof a;
        getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
};

} // namespace

TEST_SUITE("port.allocator") {

TEST_CASE("ParseReservedPorts_ListsAndRanges")
{
    CHECK(parse_reserved_ports("") == std::set<uint16_t>{});
    CHECK(parse_reserved_ports("8080,9000-9002\n") == std::set<uint16_t>{8080, 9000, 9001, 9002});
}

TEST_CASE("EphemeralPortRange_FromProc")
{
    auto r = ephemeral_port_range();
    CHECK(r.first > 0);
    CHECK(r.first <= r.last);
}

TEST_CASE("BindPorts_EphemeralOnHostIpIsInLocalRange")
{
    auto r = bind_ports({PortBinding{"127.0.0.1", 0, 0, 80, PortProto::Tcp}});
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().summary()));
    REQUIRE(r->size() == 1);
    auto range = ephemeral_port_range();
    const auto& p = (*r)[0].port;
    CHECK(p.host_ip == "127.0.0.1");
    CHECK(p.host_port >= range.first);
    CHECK(p.host_port <= range.last);
    CHECK(p.container_port == 80);
}

TEST_CASE("BindPorts_DefaultBindingIsBothFamiliesOnOnePort")
{
    auto r = bind_ports({PortBinding{"", 0, 0, 80, PortProto::Udp}});
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().summary()));
    REQUIRE(r->size() == (host_has_ipv6() ? 2u : 1u));
    CHECK((*r)[0].port.host_ip == "0.0.0.0");
    if (host_has_ipv6()) {
        CHECK((*r)[1].port.host_ip == "::");
        CHECK((*r)[1].port.host_port == (*r)[0].port.host_port);
    }
}

TEST_CASE("BindPorts_TakenPortNamesTheHolder")
{
    HeldPort held;
    auto r = bind_ports({PortBinding{"127.0.0.1", held.port, held.port, 80, PortProto::Tcp}});
    REQUIRE(!r);
    CHECK(r.error().code() == Errc::Conflict);
    CHECK(r.error().summary() == "Bind for 127.0.0.1:" + std::to_string(held.port) +
                                     " failed: port is already allocated (held by pid " + std::to_string(getpid()) +
                                     " \"wharf_tests\")");
}

TEST_CASE("BindPorts_AllOrNothing")
{
    HeldPort held;
    // The first binding succeeds, the second fails: the first one's socket is closed again.
    auto first = bind_ports({PortBinding{"127.0.0.1", 0, 0, 80, PortProto::Tcp}});
    REQUIRE(first.has_value());
    uint16_t free_port = (*first)[0].port.host_port;
    first->clear();
    auto r = bind_ports({PortBinding{"127.0.0.1", free_port, free_port, 80, PortProto::Tcp},
                         PortBinding{"127.0.0.1", held.port, held.port, 81, PortProto::Tcp}});
    REQUIRE(!r);
    auto again = bind_ports({PortBinding{"127.0.0.1", free_port, free_port, 80, PortProto::Tcp}});
    CHECK(again.has_value());
}

TEST_CASE("BindPorts_HostRangeSkipsTakenPort")
{
    HeldPort held;
    uint16_t next = static_cast<uint16_t>(held.port + 1);
    auto r = bind_ports({PortBinding{"127.0.0.1", held.port, next, 80, PortProto::Tcp}});
    if (r) { // the neighbour may be taken by someone else on this machine
        CHECK((*r)[0].port.host_port == next);
    } else {
        CHECK(r.error().summary() == "Bind for 127.0.0.1:" + std::to_string(held.port) + "-" + std::to_string(next) +
                                         " failed: port is already allocated");
    }
}

} // TEST_SUITE
