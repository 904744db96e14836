#pragma once
// Fixtures shared by the tests of the kernel forwarding paths (port_dnat, socket_redirect):
// a container stand-in (a namespace attached to a network), a TCP and UDP echo server in it,
// a TCP echo client, and a call made from an unprivileged user namespace.
#include "engine/network/network_store.h"
#include "tests/engine/network/net_fixture.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <functional>
#include <sched.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace wharf::test {

/// A network namespace attached to `network` as container `id` on eth0.
struct Container {
    NetRoot& root;
    std::string id;
    sys::UniqueFd ns = new_netns();
    engine::Endpoint ep;
    Container(NetRoot& r, const std::string& network, std::string cid) : root(r), id(std::move(cid))
    {
        auto e = root.store.attach(network, {id, "c-" + id.substr(0, 6), {}, "", "eth0", true}, ns.get());
        REQUIRE_MESSAGE(e.has_value(), (e ? "" : e.error().summary()));
        ep = *e;
    }
};

/// Echoes every TCP connection (one at a time) and every UDP datagram on `port` in `netns`;
/// UDP replies start with `tag`.
struct EchoServer {
    sys::UniqueFd tcp, udp;
    std::thread tcp_thread, udp_thread;
    EchoServer(int netns, uint16_t port, std::string tag = "")
        : tcp(listen_in(netns, "0.0.0.0", port)), udp(listen_in(netns, "0.0.0.0", port, SOCK_DGRAM))
    {
        tcp_thread = std::thread([fd = tcp.get()] {
            for (;;) {
                int c = ::accept(fd, nullptr, nullptr);
                if (c < 0)
                    return;
                char buf[512];
                ssize_t n;
                while ((n = ::read(c, buf, sizeof buf)) > 0)
                    (void)::write(c, buf, static_cast<size_t>(n));
                ::close(c);
            }
        });
        udp_thread = std::thread([fd = udp.get(), tag] {
            for (;;) {
                char buf[512];
                sockaddr_storage from{};
                socklen_t len = sizeof from;
                ssize_t n = ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
                if (n <= 0)
                    return;
                std::string reply = tag + std::string(buf, static_cast<size_t>(n));
                (void)::sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
            }
        });
    }
    ~EchoServer()
    {
        ::shutdown(tcp.get(), SHUT_RDWR);
        ::shutdown(udp.get(), SHUT_RDWR);
        tcp_thread.join();
        udp_thread.join();
    }
};

/// "ping" sent over a new TCP connection to ip:port from the host, and what came back; ""
/// when nothing answers.
inline std::string tcp_echo(const std::string& ip, uint16_t port)
{
    auto c = connect_from(-1, ip, port);
    if (!c)
        return "";
    (void)::write(c.get(), "ping", 4);
    ::shutdown(c.get(), SHUT_WR);
    char buf[64];
    ssize_t n = ::read(c.get(), buf, sizeof buf);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

/// What `call` returned when run in a forked child inside a new user namespace, which has no
/// capability over the host's namespaces (as on a host that does not grant them). `call`
/// returns the failure's text, or "" when it unexpectedly succeeded. The child's exit status
/// is 0 when it failed as expected.
struct Unprivileged {
    bool failed = false;
    std::string message;
};
inline Unprivileged run_unprivileged(const std::function<std::string()>& call)
{
    int pipefd[2];
    REQUIRE(::pipe2(pipefd, O_CLOEXEC) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (::unshare(CLONE_NEWUSER) != 0)
            _exit(2);
        std::string msg = call();
        bool failed = !msg.empty();
        if (!failed)
            msg = "installed";
        (void)::write(pipefd[1], msg.data(), msg.size());
        _exit(failed ? 0 : 1);
    }
    ::close(pipefd[1]);
    Unprivileged out;
    char buf[512];
    ssize_t n;
    while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0)
        out.message.append(buf, static_cast<size_t>(n));
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    out.failed = WEXITSTATUS(status) == 0;
    return out;
}

} // namespace wharf::test
