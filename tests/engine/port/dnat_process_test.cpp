// The requests the monitor sends to `wharf __port-dnat`: built into argv and parsed back by
// the helper. Pure: no process is started here.
#include "engine/port/dnat_process.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

TEST_SUITE("port.dnat_process") {

TEST_CASE("DnatRequest_InstallRoundTrips")
{
    DnatRequest r{DnatRequest::Kind::Install, "/var/lib/wharf", std::string(64, 'a'),
                  {"10.88.0.2", "10.88.0.0/24", "wharf0"},
                  {{"127.0.0.1", 8080, 80, PortProto::Tcp}, {"0.0.0.0", 5353, 53, PortProto::Udp}}};
    auto args = dnat_request_args(r);
    CHECK(args == std::vector<std::string>{"__port-dnat", "install", "/var/lib/wharf", std::string(64, 'a'),
                                           "10.88.0.2", "10.88.0.0/24", "wharf0", "127.0.0.1:8080->80/tcp",
                                           "0.0.0.0:5353->53/udp"});
    auto back = parse_dnat_request({args.begin() + 1, args.end()});
    REQUIRE(back.has_value());
    CHECK(back->kind == DnatRequest::Kind::Install);
    CHECK(back->state_root == r.state_root);
    CHECK(back->container_id == r.container_id);
    CHECK(back->target.address == "10.88.0.2");
    CHECK(back->target.subnet == "10.88.0.0/24");
    CHECK(back->target.bridge == "wharf0");
    CHECK(back->ports == r.ports);
}

TEST_CASE("DnatRequest_RemoveRoundTrips")
{
    DnatRequest r{DnatRequest::Kind::Remove, "/tmp/root", "abc", {}, {}};
    auto args = dnat_request_args(r);
    CHECK(args == std::vector<std::string>{"__port-dnat", "remove", "/tmp/root", "abc"});
    auto back = parse_dnat_request({args.begin() + 1, args.end()});
    REQUIRE(back.has_value());
    CHECK(back->kind == DnatRequest::Kind::Remove);
    CHECK(back->state_root == "/tmp/root");
    CHECK(back->container_id == "abc");
}

TEST_CASE("DnatRequest_BadArgumentsAreUsageErrors")
{
    for (const auto& args : std::vector<std::vector<std::string>>{
             {}, {"install"}, {"remove", "/r"}, {"remove", "/r", "id", "extra"}, {"flush", "/r", "id"},
             {"install", "/r", "id", "10.0.0.2", "10.0.0.0/24"}, {"remove", "", "id"}}) {
        auto r = parse_dnat_request(args);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code() == Errc::Invalid);
        CHECK(r.error().summary().find("usage: wharf __port-dnat") != std::string::npos);
    }
    auto bad = parse_dnat_request({"install", "/r", "id", "10.0.0.2", "10.0.0.0/24", "br0", "8080:80"});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().summary().find("usage: wharf __port-dnat") != std::string::npos);
}

}
