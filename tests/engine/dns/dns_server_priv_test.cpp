// The embedded resolver inside a container's namespace: names, aliases and replicas of a
// user network, updates as containers come and go, PTR, TCP, and forwarding of other names
// to an upstream (a fake one on 127.0.0.1 in the host's namespace).
#include "engine/dns/dns_message.h"
#include "engine/dns/dns_server.h"
#include "tests/engine/network/net_fixture.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <doctest/doctest.h>
#include <future>
#include <thread>

using namespace wharf;
using namespace wharf::engine;
using namespace wharf::engine::dns;

namespace {

struct Answer {
    uint8_t rcode = 255;
    std::vector<std::string> addresses;
    std::vector<Record> records;
};

Answer ask(int netns, const std::string& name, uint16_t type = TypeA, bool tcp = false)
{
    auto fd = socket_in_netns(netns, AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM);
    REQUIRE(fd.has_value());
    timeval tv{3, 0};
    setsockopt(fd->get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(53);
    inet_pton(AF_INET, "127.0.0.11", &a.sin_addr);
    REQUIRE(::connect(fd->get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    auto q = build_query(0x4242, name, type);
    std::vector<uint8_t> resp(65535);
    ssize_t n;
    if (tcp) {
        std::vector<uint8_t> framed{static_cast<uint8_t>(q.size() >> 8), static_cast<uint8_t>(q.size())};
        framed.insert(framed.end(), q.begin(), q.end());
        REQUIRE(::write(fd->get(), framed.data(), framed.size()) == static_cast<ssize_t>(framed.size()));
        uint8_t len[2];
        REQUIRE(::recv(fd->get(), len, 2, MSG_WAITALL) == 2);
        n = ::recv(fd->get(), resp.data(), static_cast<size_t>(len[0] << 8 | len[1]), MSG_WAITALL);
    } else {
        REQUIRE(::send(fd->get(), q.data(), q.size(), 0) == static_cast<ssize_t>(q.size()));
        n = ::recv(fd->get(), resp.data(), resp.size(), 0);
    }
    REQUIRE(n > 0);
    resp.resize(static_cast<size_t>(n));
    Answer out;
    auto records = parse_response(resp, out.rcode);
    REQUIRE(records.has_value());
    out.records = *records;
    for (const auto& r : *records)
        if (r.type == TypeA && r.data.size() == 4)
            out.addresses.push_back(std::to_string(r.data[0]) + "." + std::to_string(r.data[1]) + "." +
                                    std::to_string(r.data[2]) + "." + std::to_string(r.data[3]));
    std::sort(out.addresses.begin(), out.addresses.end());
    return out;
}

/// A fake upstream on 127.0.0.1 answering every A query with 192.0.2.7 (never contacted
/// beyond this machine's loopback).
struct FakeUpstream {
    sys::UniqueFd fd{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    uint16_t port = 0;
    std::thread thread;
    FakeUpstream()
    {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        port = test::local_port(fd.get());
        timeval tv{5, 0};
        setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        thread = std::thread([this] {
            std::vector<uint8_t> buf(2048);
            sockaddr_in from{};
            socklen_t len = sizeof from;
            ssize_t n = ::recvfrom(fd.get(), buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
            if (n <= 0)
                return;
            buf.resize(static_cast<size_t>(n));
            auto q = parse_query(buf);
            Record r;
            r.data = {192, 0, 2, 7};
            auto resp = build_response(buf, *q, {r});
            ::sendto(fd.get(), resp.data(), resp.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
        });
    }
    ~FakeUpstream() { thread.join(); }
};

} // namespace

TEST_SUITE("dns.server") {

TEST_CASE("DnsServer_NamesAliasesReplicasPtrTcpAndForwarding")
{
    test::NetRoot root;
    auto n = root.store.create({test::unique_name("dns"), NetworkDriver::Bridge, {}, {}, "", "", false});
    REQUIRE(n.has_value());
    auto ns_client = test::new_netns();
    auto ns_web1 = test::new_netns();
    auto ns_web2 = test::new_netns();
    auto ns_web3 = test::new_netns();
    auto attach = [&](const std::string& id, const std::string& name, std::vector<std::string> aliases, int ns) {
        auto e = root.store.attach(n->name, {id, name, std::move(aliases), "", "eth0", true}, ns);
        REQUIRE_MESSAGE(e.has_value(), (e ? "" : e.error().summary()));
        return e->ipv4;
    };
    std::string client_id = "c0ffee0000000000000000000000000000000000000000000000000000000001";
    auto client_ip = attach(client_id, "p-client-1", {"client"}, ns_client.get());
    auto w1 = attach("w1", "p-web-1", {"web"}, ns_web1.get());
    auto w2 = attach("w2", "p-web-2", {"web"}, ns_web2.get());
    auto w3 = attach("w3", "p-web-3", {"web"}, ns_web3.get());

    FakeUpstream upstream;
    boost::asio::io_context io;
    DnsServerConfig config{root.dir.path(), client_id, ns_client.get(), "127.0.0.11", 53,
                           {"127.0.0.1:" + std::to_string(upstream.port)}, std::chrono::milliseconds(2000)};
    auto server = DnsServer::start(io, config);
    REQUIRE_MESSAGE(server.has_value(), (server ? "" : server.error().summary()));
    auto work = boost::asio::make_work_guard(io);
    std::thread runner([&] { io.run(); });

    std::vector<std::string> replicas{w1, w2, w3};
    std::sort(replicas.begin(), replicas.end());
    CHECK(ask(ns_client.get(), "web").addresses == replicas);
    CHECK(ask(ns_client.get(), "p-web-2").addresses == std::vector<std::string>{w2});
    CHECK(ask(ns_client.get(), "P-WEB-2.").addresses == std::vector<std::string>{w2});
    CHECK(ask(ns_client.get(), client_id.substr(0, 12)).addresses == std::vector<std::string>{client_ip});
    auto aaaa = ask(ns_client.get(), "web", TypeAaaa);
    CHECK(aaaa.rcode == RcodeOk);
    CHECK(aaaa.records.empty());
    // The reverse name of w1's address, whichever subnet the pool gave (other state roots
    // on this machine may hold the first one).
    std::string reversed;
    for (size_t end = w1.size(), dot; end != std::string::npos; end = dot) {
        dot = w1.rfind('.', end - 1);
        size_t begin = dot == std::string::npos ? 0 : dot + 1;
        reversed += w1.substr(begin, end - begin) + ".";
        if (dot == std::string::npos)
            break;
    }
    auto ptr = ask(ns_client.get(), reversed + "in-addr.arpa", TypePtr);
    REQUIRE(ptr.records.size() == 1);
    CHECK(ptr.records[0].data == encode_name("p-web-1"));
    CHECK(ask(ns_client.get(), "web", TypeA, true).addresses == replicas);

    // A replica leaves: the next answer no longer has it.
    REQUIRE(root.store.detach(n->name, "w3").has_value());
    std::vector<std::string> two{w1, w2};
    std::sort(two.begin(), two.end());
    CHECK(ask(ns_client.get(), "web").addresses == two);

    // Other names go to the upstream, contacted from the host's namespace.
    auto fwd = ask(ns_client.get(), "example.test");
    CHECK(fwd.rcode == RcodeOk);
    CHECK(fwd.addresses == std::vector<std::string>{"192.0.2.7"});

    boost::asio::post(io, [&] { server->reset(); });
    work.reset();
    runner.join();
}

TEST_CASE("DnsServer_AllUpstreamsFailingIsServfail")
{
    test::NetRoot root;
    auto ns = test::new_netns();
    // Loopback only: the server binds 127.0.0.11 once lo is up.
    auto nl = sys::Netlink::open_in(ns.get());
    REQUIRE(nl.has_value());
    REQUIRE(nl->set_up(*nl->link_index("lo")).has_value());
    // An upstream that never answers: a bound UDP socket nobody reads.
    sys::UniqueFd silent(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(silent.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    boost::asio::io_context io;
    DnsServerConfig config{root.dir.path(), "x", ns.get(), "127.0.0.11", 53,
                           {"127.0.0.1:" + std::to_string(test::local_port(silent.get()))}, std::chrono::milliseconds(300)};
    auto server = DnsServer::start(io, config);
    REQUIRE(server.has_value());
    auto work = boost::asio::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    CHECK(ask(ns.get(), "nowhere.test").rcode == RcodeServFail);
    boost::asio::post(io, [&] { server->reset(); });
    work.reset();
    runner.join();
}

} // TEST_SUITE
