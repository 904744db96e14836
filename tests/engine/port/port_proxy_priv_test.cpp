// The userland proxy against servers inside a network namespace on a bridge network:
// concurrent connections, half-close, large transfers with a slow reader, connect failure,
// UDP, stop, and no fd left behind.
#include "engine/port/port_proxy.h"
#include "tests/engine/network/net_fixture.h"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <dirent.h>
#include <doctest/doctest.h>
#include <future>
#include <thread>

using namespace wharf;
using namespace wharf::engine;

namespace {

size_t open_fds()
{
    size_t n = 0;
    DIR* d = opendir("/proc/self/fd");
    while (readdir(d))
        ++n;
    closedir(d);
    return n;
}

/// A bridge network with one "container" namespace attached; the io_context runs on a thread.
struct ProxyFixture {
    test::NetRoot root;
    sys::UniqueFd ns = test::new_netns();
    Endpoint ep;
    boost::asio::io_context io;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
    std::thread runner;

    ProxyFixture()
    {
        auto n = root.store.create({test::unique_name("px"), NetworkDriver::Bridge, {}, {}, "", "", false});
        REQUIRE(n.has_value());
        auto e = root.store.attach(n->name, {"c", "c", {}, "", "eth0", true}, ns.get());
        REQUIRE(e.has_value());
        ep = *e;
    }
    void run()
    {
        work.emplace(io.get_executor());
        runner = std::thread([this] { io.run(); });
    }
    /// Runs fn on the io thread and waits for it.
    template <typename F>
    void on_io(F fn)
    {
        std::promise<void> done;
        boost::asio::post(io, [&] {
            fn();
            done.set_value();
        });
        done.get_future().wait();
    }
    ~ProxyFixture()
    {
        work.reset();
        io.stop();
        if (runner.joinable())
            runner.join();
    }
};

std::unique_ptr<PortProxy> start_proxy(ProxyFixture& f, PortProto proto, uint16_t container_port)
{
    auto bound = bind_ports({PortBinding{"127.0.0.1", 0, 0, container_port, proto}});
    REQUIRE(bound.has_value());
    auto proxy = PortProxy::start(f.io, std::move((*bound)[0]), {f.ep.ipv4, container_port});
    REQUIRE_MESSAGE(proxy.has_value(), (proxy ? "" : proxy.error().summary()));
    return std::move(*proxy);
}

bool write_all(int fd, const char* p, size_t n)
{
    while (n) {
        ssize_t w = ::write(fd, p, n);
        if (w <= 0)
            return false;
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

std::string read_all(int fd)
{
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0)
            return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

/// In the namespace: accept `count` connections; each reads to EOF, then answers with what it
/// read reversed (so an answer proves the half-close came through), then closes.
std::thread reverse_server(sys::UniqueFd listener, int count)
{
    return std::thread([fd = std::move(listener), count] {
        std::vector<std::thread> workers;
        for (int i = 0; i < count; ++i) {
            int c = ::accept4(fd.get(), nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0)
                break;
            workers.emplace_back([c] {
                std::string data = read_all(c);
                std::string rev(data.rbegin(), data.rend());
                write_all(c, rev.data(), rev.size());
                ::close(c);
            });
        }
        for (auto& w : workers)
            w.join();
    });
}

} // namespace

TEST_SUITE("port.proxy") {

TEST_CASE("PortProxy_TcpConcurrentConnectionsWithHalfClose")
{
    size_t fds_before = open_fds();
    {
        ProxyFixture f;
        constexpr int kClients = 40;
        auto server = reverse_server(test::listen_in(f.ns.get(), "0.0.0.0", 8080), kClients);
        auto proxy = start_proxy(f, PortProto::Tcp, 8080);
        uint16_t port = proxy->port().host_port;
        f.run();

        std::atomic<int> good{0};
        std::vector<std::thread> clients;
        for (int i = 0; i < kClients; ++i)
            clients.emplace_back([&, i] {
                auto c = test::connect_from(-1, "127.0.0.1", port);
                if (!c)
                    return;
                std::string msg(70000 + i, 'a');
                for (size_t k = 0; k < msg.size(); ++k)
                    msg[k] = static_cast<char>('a' + (k * 7 + i) % 26);
                write_all(c.get(), msg.data(), msg.size());
                ::shutdown(c.get(), SHUT_WR);
                std::string back = read_all(c.get());
                if (back == std::string(msg.rbegin(), msg.rend()))
                    ++good;
            });
        for (auto& t : clients)
            t.join();
        server.join();
        CHECK(good == kClients);
        for (int i = 0; i < 100 && proxy->active() != 0; ++i)
            usleep(10000);
        CHECK(proxy->active() == 0);
        f.on_io([&] { proxy.reset(); });
    }
    CHECK(open_fds() == fds_before);
}

TEST_CASE("PortProxy_TcpLargeTransferToSlowReader")
{
    ProxyFixture f;
    constexpr size_t kSize = 48u << 20;
    auto listener = test::listen_in(f.ns.get(), "0.0.0.0", 9000);
    std::thread server([&] {
        int c = ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
        std::string block(1 << 16, 0);
        for (size_t sent = 0; sent < kSize; sent += block.size()) {
            for (size_t k = 0; k < block.size(); ++k)
                block[k] = static_cast<char>((sent + k) % 251);
            if (!write_all(c, block.data(), block.size()))
                break;
        }
        ::close(c);
    });
    auto proxy = start_proxy(f, PortProto::Tcp, 9000);
    f.run();
    auto c = test::connect_from(-1, "127.0.0.1", proxy->port().host_port);
    REQUIRE(c.valid());
    timeval tv{10, 0};
    setsockopt(c.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    usleep(300000); // the reader lags: the proxy must hold back, not buffer 48 MiB
    std::string got = read_all(c.get());
    server.join();
    REQUIRE(got.size() == kSize);
    bool intact = true;
    for (size_t k = 0; k < got.size() && intact; k += 4093)
        intact = got[k] == static_cast<char>(k % 251);
    CHECK(intact);
    f.on_io([&] { proxy.reset(); });
}

TEST_CASE("PortProxy_TcpConnectFailureClosesClient")
{
    ProxyFixture f;
    auto proxy = start_proxy(f, PortProto::Tcp, 9) ; // nothing listens on port 9 in the namespace
    f.run();
    auto c = test::connect_from(-1, "127.0.0.1", proxy->port().host_port);
    REQUIRE(c.valid());
    char b;
    CHECK(::read(c.get(), &b, 1) <= 0);
    f.on_io([&] { proxy.reset(); });
}

TEST_CASE("PortProxy_StopClosesListenerAndConnections")
{
    ProxyFixture f;
    auto listener = test::listen_in(f.ns.get(), "0.0.0.0", 7070);
    auto proxy = start_proxy(f, PortProto::Tcp, 7070);
    uint16_t port = proxy->port().host_port;
    f.run();
    auto c = test::connect_from(-1, "127.0.0.1", port);
    REQUIRE(c.valid());
    int accepted = ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
    REQUIRE(accepted >= 0);
    f.on_io([&] { proxy->stop(); });
    char b;
    CHECK(::read(c.get(), &b, 1) <= 0);
    CHECK_FALSE(test::connect_from(-1, "127.0.0.1", port).valid());
    ::close(accepted);
    f.on_io([&] { proxy.reset(); });
}

TEST_CASE("PortProxy_UdpEcho")
{
    ProxyFixture f;
    auto server_fd = test::listen_in(f.ns.get(), "0.0.0.0", 5353, SOCK_DGRAM);
    std::thread server([fd = server_fd.get()] {
        char buf[2048];
        for (int i = 0; i < 3; ++i) {
            sockaddr_storage from{};
            socklen_t len = sizeof from;
            ssize_t n = ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
            if (n <= 0)
                return;
            std::string reply = "echo:" + std::string(buf, static_cast<size_t>(n));
            ::sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
        }
    });
    auto proxy = start_proxy(f, PortProto::Udp, 5353);
    f.run();
    for (int client = 0; client < 3; ++client) {
        sys::UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        timeval tv{2, 0};
        setsockopt(s.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(proxy->port().host_port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        std::string msg = "ping" + std::to_string(client);
        ::sendto(s.get(), msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
        char buf[2048];
        ssize_t n = ::recv(s.get(), buf, sizeof buf, 0);
        REQUIRE(n > 0);
        CHECK(std::string(buf, static_cast<size_t>(n)) == "echo:" + msg);
    }
    server.join();
    CHECK(proxy->active() == 3); // one flow per client address
    f.on_io([&] { proxy.reset(); });
}

} // TEST_SUITE
