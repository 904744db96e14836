#pragma once
/// Host ports for published container ports: binds every listener a container's `-p` list
/// asks for, all or nothing, the way Docker's port allocator and mapper do:
/// - no host IP: two listeners, 0.0.0.0 and :: (IPV6_V6ONLY), with the same port number;
///   the IPv6 one only when the host has IPv6;
/// - no host port: an ephemeral port from /proc/sys/net/ipv4/ip_local_port_range (49153-65535
///   when unreadable), skipping ip_local_reserved_ports, starting at a random point and
///   wrapping; a host range (`8000-8010:80`) is searched the same way;
/// - TCP listeners get SO_REUSEADDR and listen(somaxconn); UDP ones are bound only.
/// A taken fixed port is Conflict `Bind for 0.0.0.0:8080 failed: port is already allocated`,
/// followed, when /proc tells, by the process holding it: ` (held by pid 1234 "nginx")`.
/// Thread-safe (no shared state).

#include "engine/api/port.h"
#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <set>
#include <vector>

namespace wharf::engine {

struct BoundPort {
    PublishedPort port;
    sys::UniqueFd fd; ///< bound (and for TCP listening), non-blocking, close-on-exec
};

struct PortRange {
    uint16_t first = 49153;
    uint16_t last = 65535;
};

/// /proc/sys/net/ipv4/ip_local_port_range, or Docker's fallback 49153-65535.
PortRange ephemeral_port_range();
/// Parses ip_local_reserved_ports' "a,b-c" syntax.
std::set<uint16_t> parse_reserved_ports(std::string_view text);
bool host_has_ipv6();

/// Binds all of `bindings`; on any failure closes what it bound and returns the error.
Result<std::vector<BoundPort>> bind_ports(const std::vector<PortBinding>& bindings);

/// "pid 1234 \"nginx\"" for the process holding a listening socket (TCP) or bound socket
/// (UDP) on `port`, found by matching /proc/net/{tcp,tcp6,udp,udp6} inodes against
/// /proc/*/fd; empty when unknown.
std::string find_port_holder(PortProto proto, uint16_t port);

} // namespace wharf::engine
