#pragma once
/// Published ports as values: what `-p`/`--publish` and Compose's `ports:` ask for
/// (PortBinding), what is in force once host ports are chosen (PublishedPort), and the texts
/// Docker prints for them (`ps` PORTS column, `port` lines).
///
/// parse_publish() is Docker's ParsePortSpec: `[ip:][hostPort:]containerPort[/proto]`, ports
/// may be ranges; `8000-8010:80` asks for one free host port in the range, `8000-8001:80-81`
/// maps pairwise. Errors carry Docker's texts ("invalid containerPort: http").
/// Pure functions over values; thread-safe.

#include "engine/base/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine {

enum class PortProto { Tcp, Udp, Sctp };

std::string_view to_string(PortProto proto);

/// One publication request. The host side is either unset (host_port_first == 0: an
/// ephemeral port from ip_local_port_range), one port (first == last), or a range to choose
/// one free port from (first < last).
struct PortBinding {
    std::string host_ip; ///< "" = the default binding (0.0.0.0 and ::); IPv6 without brackets
    uint16_t host_port_first = 0;
    uint16_t host_port_last = 0;
    uint16_t container_port = 0;
    PortProto proto = PortProto::Tcp;

    bool operator==(const PortBinding&) const = default;
};

/// One listener in force: a concrete host address and port forwarding to a container port.
struct PublishedPort {
    std::string host_ip; ///< "0.0.0.0", "::", "127.0.0.1", …
    uint16_t host_port = 0;
    uint16_t container_port = 0;
    PortProto proto = PortProto::Tcp;

    bool operator==(const PublishedPort&) const = default;
};

/// A container port with its protocol ("80/tcp"): EXPOSE entries and `wharf port C 80/udp`.
struct ContainerPort {
    uint16_t port = 0;
    PortProto proto = PortProto::Tcp;

    bool operator==(const ContainerPort&) const = default;
    auto operator<=>(const ContainerPort&) const = default;
};

/// Parses one `-p` value into one binding per container port.
Result<std::vector<PortBinding>> parse_publish(std::string_view spec);

/// Parses "80", "80/udp", "8000-8002/tcp" (EXPOSE syntax) into its ports.
Result<std::vector<ContainerPort>> parse_container_ports(std::string_view spec);

/// "80/tcp".
std::string format_container_port(const ContainerPort& port);

/// `host:port` as Go's net.JoinHostPort: IPv6 hosts in brackets ("[::]:8080").
std::string join_host_port(std::string_view host, uint16_t port);

/// One listener as the container record keeps it: "0.0.0.0:8080->80/tcp", "[::]:8080->80/tcp".
std::string format_port_mapping(const PublishedPort& port);
/// The reverse of format_port_mapping(); Invalid for anything else.
Result<PublishedPort> parse_port_mapping(std::string_view text);

/// Docker's `ps` PORTS text: same-number bindings grouped into ranges per host IP and
/// protocol, other bindings one by one after them, exposed-only ports as "80/tcp";
/// entries joined with ", ".
std::string format_ps_ports(const std::vector<PublishedPort>& published,
                            const std::vector<ContainerPort>& exposed = {});

/// Docker's `port CONTAINER` lines ("80/tcp -> 0.0.0.0:8080"), sorted, each ending in '\n'.
std::string format_port_lines(const std::vector<PublishedPort>& published);

} // namespace wharf::engine
