#include "engine/port/port_allocator.h"

#include "engine/base/split.h"
#include "engine/port/socket_table.h"
#include "engine/sys/file.h"

#include <charconv>
#include <arpa/inet.h>
#include <cerrno>
#include <dirent.h>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

namespace wharf::engine {
namespace {

struct Candidate {
    std::string ip;
    int family;
};

/// One socket bound to ip:port. EADDRINUSE comes back as such so ephemeral searches can move on.
Result<sys::UniqueFd> bind_one(const Candidate& c, uint16_t port, PortProto proto)
{
    int type = proto == PortProto::Udp ? SOCK_DGRAM : SOCK_STREAM;
    int fd = ::socket(c.family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return Error::from_errno("socket(2)", errno);
    sys::UniqueFd sock(fd);
    int one = 1;
    if (type == SOCK_STREAM)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int rc;
    if (c.family == AF_INET6) {
        // 0.0.0.0 and :: are separate listeners with the same port, as Docker's.
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(port);
        inet_pton(AF_INET6, c.ip.c_str(), &a.sin6_addr);
        rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        inet_pton(AF_INET, c.ip.c_str(), &a.sin_addr);
        rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    if (rc != 0)
        return Error::from_errno("bind(2) " + join_host_port(c.ip, port) + "/" + std::string(to_string(proto)), errno);
    if (type == SOCK_STREAM && ::listen(fd, SOMAXCONN) != 0)
        return Error::from_errno("listen(2) " + join_host_port(c.ip, port), errno);
    return sock;
}

std::vector<Candidate> candidates_for(const PortBinding& b)
{
    if (!b.host_ip.empty())
        return {{b.host_ip, b.host_ip.find(':') != std::string::npos ? AF_INET6 : AF_INET}};
    std::vector<Candidate> out{{"0.0.0.0", AF_INET}};
    if (host_has_ipv6())
        out.push_back({"::", AF_INET6});
    return out;
}

Error allocated_error(const Candidate& c, uint16_t port, PortProto proto)
{
    std::string msg = "Bind for " + c.ip + ":" + std::to_string(port) + " failed: port is already allocated";
    std::string holder = find_port_holder(proto, port);
    if (!holder.empty())
        msg += " (held by " + holder + ")";
    return Error(Errc::Conflict, std::move(msg));
}

/// Binds one binding on every candidate address with the same port; all or nothing.
Result<std::vector<BoundPort>> bind_binding(const PortBinding& b, const std::set<uint16_t>& reserved)
{
    auto cands = candidates_for(b);
    auto try_port = [&](uint16_t port) -> Result<std::vector<BoundPort>> {
        std::vector<BoundPort> out;
        for (const auto& c : cands) {
            auto fd = bind_one(c, port, b.proto);
            if (!fd) {
                if (fd.error().sys_errno() == EADDRINUSE)
                    return allocated_error(c, port, b.proto);
                return std::move(fd).error();
            }
            out.push_back({{c.ip, port, b.container_port, b.proto}, std::move(*fd)});
        }
        return out;
    };
    if (b.host_port_first != 0 && b.host_port_first == b.host_port_last)
        return try_port(b.host_port_first);

    PortRange range{b.host_port_first, b.host_port_last};
    bool ephemeral = b.host_port_first == 0;
    if (ephemeral)
        range = ephemeral_port_range();
    uint32_t count = uint32_t(range.last) - range.first + 1;
    uint32_t start = std::random_device{}() % count;
    for (uint32_t i = 0; i < count; ++i) {
        auto port = static_cast<uint16_t>(range.first + (start + i) % count);
        if (ephemeral && reserved.count(port))
            continue;
        auto r = try_port(port);
        if (r)
            return r;
        if (r.error().code() != Errc::Conflict)
            return r;
    }
    std::string host = b.host_ip.empty() ? "0.0.0.0" : b.host_ip;
    if (!ephemeral)
        return Error(Errc::Conflict, "Bind for " + host + ":" + std::to_string(range.first) + "-" +
                                         std::to_string(range.last) + " failed: port is already allocated");
    return Error(Errc::Conflict, "all ports are allocated");
}

} // namespace

PortRange ephemeral_port_range()
{
    auto text = sys::read_file("/proc/sys/net/ipv4/ip_local_port_range");
    if (!text)
        return {};
    auto words = split_words(*text);
    unsigned a = 0, b = 0;
    if (words.size() >= 2 && std::from_chars(words[0].data(), words[0].data() + words[0].size(), a).ec == std::errc() &&
        std::from_chars(words[1].data(), words[1].data() + words[1].size(), b).ec == std::errc() && a > 0 && a <= b && b <= 65535)
        return {static_cast<uint16_t>(a), static_cast<uint16_t>(b)};
    return {};
}

std::set<uint16_t> parse_reserved_ports(std::string_view text)
{
    std::set<uint16_t> out;
    for (std::string_view field : split(text, ',')) {
        std::string item(field); // sscanf needs the NUL
        unsigned a = 0, b = 0;
        if (std::sscanf(item.c_str(), "%u-%u", &a, &b) == 2) {
            for (unsigned p = a; p <= b && p <= 65535; ++p)
                out.insert(static_cast<uint16_t>(p));
        } else if (std::sscanf(item.c_str(), "%u", &a) == 1 && a <= 65535) {
            out.insert(static_cast<uint16_t>(a));
        }
    }
    return out;
}

bool host_has_ipv6()
{
    int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

Result<std::vector<BoundPort>> bind_ports(const std::vector<PortBinding>& bindings)
{
    std::set<uint16_t> reserved;
    if (auto text = sys::read_file("/proc/sys/net/ipv4/ip_local_reserved_ports"))
        reserved = parse_reserved_ports(*text);
    std::vector<BoundPort> all;
    for (const auto& b : bindings) {
        auto bound = TRY(bind_binding(b, reserved)); // `all` closes its sockets on the way out
        for (auto& p : bound)
            all.push_back(std::move(p));
    }
    return all;
}

std::string find_port_holder(PortProto proto, uint16_t port)
{
    std::set<std::string> inodes;
    std::string base = proto == PortProto::Udp ? "/proc/net/udp" : "/proc/net/tcp";
    for (const auto& path : {base, base + "6"}) {
        auto table = sys::read_file(path);
        if (!table)
            continue;
        for (const auto& row : parse_socket_table(*table))
            // TCP: only listeners (state 0A) hold a port against a new listener.
            if (row.local_port == port && (proto == PortProto::Udp || row.state == "0A") && !row.inode.empty() &&
                row.inode != "0")
                inodes.insert("socket:[" + std::string(row.inode) + "]");
    }
    if (inodes.empty())
        return {};
    DIR* proc = opendir("/proc");
    if (!proc)
        return {};
    std::string found;
    while (dirent* e = readdir(proc)) {
        std::string pid = e->d_name;
        if (pid.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::string fddir = "/proc/" + pid + "/fd";
        DIR* fds = opendir(fddir.c_str());
        if (!fds)
            continue;
        while (dirent* f = readdir(fds)) {
            char target[64];
            std::string link = fddir + "/" + f->d_name;
            ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
            if (n <= 0)
                continue;
            target[n] = 0;
            if (inodes.count(target)) {
                std::string comm;
                if (auto c = sys::read_file("/proc/" + pid + "/comm"))
                    comm = *c;
                while (!comm.empty() && comm.back() == '\n')
                    comm.pop_back();
                found = "pid " + pid + " \"" + comm + "\"";
                break;
            }
        }
        closedir(fds);
        if (!found.empty())
            break;
    }
    closedir(proc);
    return found;
}

} // namespace wharf::engine
