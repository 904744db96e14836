// A "container" (a namespace with busybox httpd in it) attached as the monitor attaches one:
// two networks, published ports serving HTTP on 127.0.0.1, a host-IP binding not reachable on
// another address, DNS between containers, a port conflict leaving nothing behind, and
// detach removing every veth, lease and listener.
#include "engine/network/container_network.h"
#include "engine/port/port_allocator.h"
#include "tests/engine/network/net_fixture.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <doctest/doctest.h>
#include <fstream>
#include <future>
#include <signal.h>
#include <sys/wait.h>
#include <thread>

using namespace wharf;
using namespace wharf::engine;

namespace {

/// busybox httpd serving `dir` on port 80 inside `netns`; killed and reaped on destruction.
struct Httpd {
    pid_t pid = -1;
    Httpd(int netns, const std::string& dir)
    {
        pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            if (setns(netns, CLONE_NEWNET) != 0)
                _exit(126);
            execl("/bin/busybox", "busybox", "httpd", "-f", "-p", "80", "-h", dir.c_str(), nullptr);
            _exit(127);
        }
    }
    ~Httpd()
    {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
};

/// HTTP GET through `ip:port`, the raw response ("" when the connection fails).
std::string http_get(const std::string& ip, uint16_t port, const std::string& path)
{
    for (int attempt = 0; attempt < 50; ++attempt) { // httpd may still be starting
        auto c = test::connect_from(-1, ip, port);
        if (!c) { // through kernel DNAT a server not yet listening refuses (the proxy accepts)
            usleep(50000);
            continue;
        }
        std::string req = "GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n";
        (void)::write(c.get(), req.data(), req.size());
        std::string out;
        char buf[4096];
        ssize_t n;
        while ((n = ::read(c.get(), buf, sizeof buf)) > 0)
            out.append(buf, static_cast<size_t>(n));
        if (!out.empty())
            return out;
        usleep(50000);
    }
    return "";
}

struct Io {
    boost::asio::io_context io;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{io.get_executor()};
    std::thread runner{[this] { io.run(); }};
    template <typename F>
    auto on_io(F fn)
    {
        std::promise<decltype(fn())> p;
        boost::asio::post(io, [&] { p.set_value(fn()); });
        return p.get_future().get();
    }
    ~Io()
    {
        work.reset();
        io.stop();
        runner.join();
    }
};

} // namespace

TEST_SUITE("network.container") {

TEST_CASE("ContainerNetwork_PublishedPortsDnsAndCleanDetach")
{
    test::NetRoot root;
    auto front = test::unique_name("front");
    auto back = test::unique_name("back");
    REQUIRE(root.store.create({front, NetworkDriver::Bridge, {}, {}, "", "", false}).has_value());
    REQUIRE(root.store.create({back, NetworkDriver::Bridge, {}, {}, "", "", false}).has_value());
    auto www = *sys::TempDir::create("wharf-www");
    { std::ofstream(www.path() + "/index.html") << "hello from the container\n"; }

    auto ns = test::new_netns();
    auto peer_ns = test::new_netns();
    Io io;
    ContainerNetworkRequest req;
    req.state_root = root.dir.path();
    req.container_id = "aaaaaaaaaaaa" + std::string(52, '1');
    req.container_name = "web-1";
    req.hostname = "aaaaaaaaaaaa";
    req.networks = {{front, {"web"}, ""}, {back, {}, ""}};
    req.ports = *collect_port_bindings({"127.0.0.1::80", "127.0.0.1::80/udp"}, false, {});
    req.dns_upstreams = {"127.0.0.1:9"}; // never used by this test's queries
    req.dnat_helper = WHARF_BINARY;       // as the monitor does: `wharf __port-dnat` beside it
    auto attached = io.on_io([&] { return ContainerNetwork::attach(io.io, req, ns.get()); });
    REQUIRE_MESSAGE(attached.has_value(), (attached ? "" : attached.error().summary()));
    auto& net = *attached;
    const auto& info = net->info();
    REQUIRE(info.endpoints.size() == 2);
    CHECK(info.endpoints[0].first == front);
    CHECK(info.endpoints[0].second.interface == "eth0");
    CHECK(info.endpoints[1].second.interface == "eth1");
    CHECK(info.hosts_entries == std::vector<std::string>{info.endpoints[0].second.ipv4 + "\taaaaaaaaaaaa"});
    CHECK(info.nameservers == std::vector<std::string>{"127.0.0.11"});
    CHECK(info.options == std::vector<std::string>{"ndots:0"});
    REQUIRE(info.ports.size() == 2);
    CHECK(info.ports[0].host_ip == "127.0.0.1");
    CHECK(info.ports[1].proto == PortProto::Udp);
    // The DNAT install was posted behind attach(): a handler posted now runs after it.
    CHECK(io.on_io([&] { return net->info().forwarding; }) == "kernel DNAT"); // in front of the proxies, which stay

    Httpd httpd(ns.get(), www.path());
    auto page = http_get("127.0.0.1", info.ports[0].host_port, "/index.html");
    CHECK(page.find("200 OK") != std::string::npos);
    CHECK(page.find("hello from the container") != std::string::npos);
    // Bound to 127.0.0.1 only: the host's other addresses do not answer on that port.
    auto gw = root.store.find(front)->gateway;
    CHECK_FALSE(test::connect_from(-1, gw, info.ports[0].host_port).valid());

    // Another container on `front` resolves the alias; one only on `back` does not see it there.
    auto peer_req = req;
    peer_req.container_id = "bbbbbbbbbbbb" + std::string(52, '2');
    peer_req.container_name = "client-1";
    peer_req.networks = {{front, {}, ""}};
    peer_req.ports.clear();
    auto peer = io.on_io([&] { return ContainerNetwork::attach(io.io, peer_req, peer_ns.get()); });
    REQUIRE_MESSAGE(peer.has_value(), (peer ? "" : peer.error().summary()));
    // The peer reaches the web container by name through its own resolver and HTTP.
    {
        pid_t pid = fork();
        if (pid == 0) {
            if (setns(peer_ns.get(), CLONE_NEWNET) != 0)
                _exit(126);
            int devnull = ::open("/dev/null", O_WRONLY);
            dup2(devnull, 1);
            dup2(devnull, 2);
            execl("/bin/busybox", "busybox", "nslookup", "web", "127.0.0.11", nullptr);
            _exit(127);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }

    std::vector<std::string> veths;
    for (const auto& [n, e] : info.endpoints)
        veths.push_back(e.host_interface);
    uint16_t port = info.ports[0].host_port;
    io.on_io([&] {
        net.reset();
        peer->reset();
        return 0;
    });
    for (const auto& v : veths)
        CHECK_FALSE(sys::Netlink::open()->link(v).has_value());
    CHECK(root.store.find(front)->endpoints.empty());
    CHECK(root.store.find(back)->endpoints.empty());
    CHECK_FALSE(test::connect_from(-1, "127.0.0.1", port).valid());
}

TEST_CASE("ContainerNetwork_PortConflictLeavesNothingBehind")
{
    test::NetRoot root;
    auto name = test::unique_name("cf");
    REQUIRE(root.store.create({name, NetworkDriver::Bridge, {}, {}, "", "", false}).has_value());
    // Something already listens on a port: the container asking for it fails as a whole.
    auto held = bind_ports({PortBinding{"127.0.0.1", 0, 0, 1, PortProto::Tcp}});
    REQUIRE(held.has_value());
    uint16_t taken = (*held)[0].port.host_port;
    auto ns = test::new_netns();
    Io io;
    ContainerNetworkRequest req;
    req.state_root = root.dir.path();
    req.container_id = std::string(64, 'c');
    req.container_name = "clash";
    req.networks = {{name, {}, ""}};
    req.ports = *collect_port_bindings({"127.0.0.1::81", "127.0.0.1:" + std::to_string(taken) + ":80"}, false, {});
    auto r = io.on_io([&] { return ContainerNetwork::attach(io.io, req, ns.get()); });
    REQUIRE(!r);
    CHECK(r.error().summary() == "Bind for 127.0.0.1:" + std::to_string(taken) +
                                     " failed: port is already allocated (held by pid " + std::to_string(getpid()) +
                                     " \"wharf_priv_test\")");
    CHECK(root.store.find(name)->endpoints.empty());
}

} // TEST_SUITE
