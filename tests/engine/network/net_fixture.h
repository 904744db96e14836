#pragma once
// Test fixtures for privileged network tests: a temporary state root whose networks (bridges,
// veths) are all removed on destruction, even when the test failed halfway; empty network
// namespaces held by fd; a TCP echo/line server inside a namespace.
#include "engine/network/netns.h"
#include "engine/network/network_store.h"
#include "engine/sys/file.h"
#include "engine/sys/netlink.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace wharf::test {

struct NetRoot {
    sys::TempDir dir = *sys::TempDir::create("wharf-net");
    engine::NetworkStore store = *engine::NetworkStore::open(dir.path());

    ~NetRoot()
    {
        auto all = store.list();
        if (!all)
            return;
        for (const auto& n : *all) {
            for (const auto& [id, e] : n.endpoints)
                (void)store.detach(n.id, id);
            if (!n.predefined())
                (void)store.remove(n.id);
            else if (!n.bridge.empty())
                if (auto nl = sys::Netlink::open())
                    (void)nl->delete_link(n.bridge);
        }
    }
};

/// A unique name for this test run: prefix + pid + counter.
inline std::string unique_name(const std::string& prefix)
{
    static int counter = 0;
    return prefix + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

inline sys::UniqueFd new_netns()
{
    auto ns = engine::create_netns();
    REQUIRE_MESSAGE(ns.has_value(), (ns ? "" : ns.error().summary()));
    return std::move(*ns);
}

/// A listening TCP socket on ip:port inside `netns_fd` (port 0 = any).
inline sys::UniqueFd listen_in(int netns_fd, const std::string& ip, uint16_t port, int type = SOCK_STREAM)
{
    auto fd = engine::socket_in_netns(netns_fd, AF_INET, type);
    REQUIRE(fd.has_value());
    int one = 1;
    setsockopt(fd->get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
    REQUIRE(bind(fd->get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    if (type == SOCK_STREAM)
        REQUIRE(listen(fd->get(), 64) == 0);
    return std::move(*fd);
}

inline uint16_t local_port(int fd)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    if (ss.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

/// Connects (blocking, 2 s timeout) to ip:port from inside `netns_fd` (-1 = this namespace).
inline sys::UniqueFd connect_from(int netns_fd, const std::string& ip, uint16_t port)
{
    bool v6 = ip.find(':') != std::string::npos;
    auto fd = netns_fd >= 0 ? engine::socket_in_netns(netns_fd, v6 ? AF_INET6 : AF_INET, SOCK_STREAM)
                            : Result<sys::UniqueFd>(sys::UniqueFd(::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)));
    REQUIRE(fd.has_value());
    timeval tv{2, 0};
    setsockopt(fd->get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd->get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int rc;
    if (v6) {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(port);
        inet_pton(AF_INET6, ip.c_str(), &a.sin6_addr);
        rc = ::connect(fd->get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
        rc = ::connect(fd->get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    if (rc != 0)
        return sys::UniqueFd();
    return std::move(*fd);
}

} // namespace wharf::test
