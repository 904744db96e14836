// DNS wire format, the name table and the host's upstreams.
#include "engine/dns/dns_message.h"
#include "engine/dns/dns_server.h"
#include "engine/dns/name_table.h"

#include <doctest/doctest.h>

using namespace wharf::engine;
using namespace wharf::engine::dns;

namespace {

NetworkRecord net(std::string name, std::vector<Endpoint> eps)
{
    NetworkRecord n;
    n.id = name + "-id";
    n.name = std::move(name);
    for (auto& e : eps)
        n.endpoints[e.container_id] = e;
    return n;
}

Endpoint ep(std::string id, std::string name, std::string ip, std::vector<std::string> aliases = {})
{
    Endpoint e;
    e.container_id = std::move(id);
    e.container_name = std::move(name);
    e.ipv4 = std::move(ip);
    e.aliases = std::move(aliases);
    return e;
}

} // namespace

TEST_SUITE("dns.message") {

TEST_CASE("DnsMessage_QueryRoundTripAndAnswer")
{
    auto q = build_query(0x1234, "Web.Example", TypeA);
    auto parsed = parse_query(q);
    REQUIRE(parsed.has_value());
    CHECK(parsed->id == 0x1234);
    CHECK(parsed->name == "web.example");
    CHECK(parsed->type == TypeA);
    CHECK(parsed->question_end == q.size());

    Record a;
    a.data = {10, 89, 0, 2};
    auto resp = build_response(q, *parsed, {a});
    uint8_t rcode = 99;
    auto answers = parse_response(resp, rcode);
    REQUIRE(answers.has_value());
    CHECK(rcode == RcodeOk);
    REQUIRE(answers->size() == 1);
    CHECK((*answers)[0].type == TypeA);
    CHECK((*answers)[0].ttl == 600);
    CHECK((*answers)[0].data == std::vector<uint8_t>{10, 89, 0, 2});
    CHECK((resp[2] & 0x80) != 0); // QR
    CHECK((resp[2] & 0x01) != 0); // RD echoed
}

TEST_CASE("DnsMessage_RejectsMalformed")
{
    CHECK(parse_query({1, 2, 3}).error().summary() == "dns: message shorter than its header");
    auto q = build_query(1, "a", TypeA);
    q.resize(q.size() - 3);
    CHECK(parse_query(q).error().summary() == "dns: truncated question");
    auto r = build_query(1, "a", TypeA);
    r[2] |= 0x80;
    CHECK(parse_query(r).error().summary() == "dns: not a query");
}

TEST_CASE("DnsMessage_ReverseIpv4")
{
    CHECK(reverse_ipv4("2.0.89.10.in-addr.arpa") == "10.89.0.2");
    CHECK(reverse_ipv4("example.com").empty());
    CHECK(reverse_ipv4("1.2.in-addr.arpa").empty());
}

TEST_CASE("NameTable_NamesAliasesReplicasAndScope")
{
    std::vector<NetworkRecord> nets{
        net("front", {ep("c1", "shop-web-1", "10.89.0.2", {"web"}), ep("c2", "shop-web-2", "10.89.0.3", {"web"}),
                      ep("c3", "shop-db-1", "10.89.0.4", {"db"})}),
        net("other", {ep("c9", "lonely", "10.89.1.2")}),
        net("bridge", {ep("c1", "shop-web-1", "10.89.2.2"), ep("c8", "legacy", "10.89.2.3")}),
    };
    CHECK(lookup_names(nets, "c3", "web") == std::vector<std::string>{"10.89.0.2", "10.89.0.3"});
    CHECK(lookup_names(nets, "c3", "shop-web-2") == std::vector<std::string>{"10.89.0.3"});
    CHECK(lookup_names(nets, "c1", "db") == std::vector<std::string>{"10.89.0.4"});
    CHECK(lookup_names(nets, "c1", "lonely").empty()); // not a shared network
    CHECK(lookup_names(nets, "c1", "legacy").empty()); // the default bridge has no names
    CHECK(lookup_address(nets, "c1", "10.89.0.4") == "shop-db-1");
    CHECK(is_known_name(nets, "c1", "web"));
}

TEST_CASE("HostUpstreams_SystemdStubReplacedAndCappedAtThree")
{
    CHECK(host_upstreams("nameserver 10.255.255.53\n") == std::vector<std::string>{"10.255.255.53"});
    CHECK(host_upstreams("nameserver 127.0.0.53\noptions edns0\n", "nameserver 192.0.2.53\n") ==
          std::vector<std::string>{"192.0.2.53"});
    CHECK(host_upstreams("nameserver 127.0.0.53\n") == std::vector<std::string>{"127.0.0.53"});
    CHECK(host_upstreams("nameserver 1.1.1.1\nnameserver 2.2.2.2\nnameserver 3.3.3.3\nnameserver 4.4.4.4\n").size() == 3);
    CHECK(search_domains("search a.example b.example\nnameserver 1.1.1.1\n") ==
          std::vector<std::string>{"a.example", "b.example"});
}

} // TEST_SUITE
