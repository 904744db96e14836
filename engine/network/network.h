#pragma once
/// A network's persisted record (<root>/networks/<id>.json): identity, driver, labels, its
/// IPAM (subnet, gateway) and its endpoints: one per attached container, with the address
/// leased to it, its aliases (what the embedded DNS answers) and the host end of its veth
/// (how a stale endpoint is recognised after its container died without detaching).
/// Plain values with JSON encoding; thread-compatible.

#include "engine/base/result.h"

#include <map>
#include <string>
#include <vector>

namespace wharf::engine {

struct Endpoint {
    std::string container_id;
    std::string container_name;
    std::vector<std::string> aliases; ///< DNS names besides the container name
    std::string ipv4;                 ///< "10.89.0.2"
    int prefix = 24;
    std::string mac;
    std::string interface;            ///< inside the container: "eth0"
    std::string host_interface;       ///< host end of the veth: "veth1a2b3c4"

    bool operator==(const Endpoint&) const = default;
};

enum class NetworkDriver { Bridge, Host, Null };
std::string_view to_string(NetworkDriver driver);

struct NetworkRecord {
    std::string id; ///< 64 hex
    std::string name;
    std::string created; ///< RFC 3339 with nanoseconds, as Docker's "Created"
    NetworkDriver driver = NetworkDriver::Bridge;
    bool internal = false;
    bool attachable = true;
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> options;
    std::string subnet;  ///< "10.89.0.0/24"; empty for host/none
    std::string gateway; ///< "10.89.0.1"
    std::string bridge;  ///< Linux bridge device: "wharf0" or "wh-<12 hex>"
    std::map<std::string, Endpoint> endpoints; ///< by container id

    /// Networks that exist from the start and cannot be removed: bridge, host, none.
    bool predefined() const { return name == "bridge" || name == "host" || name == "none"; }
};

std::string encode_network(const NetworkRecord& record);
Result<NetworkRecord> decode_network(std::string_view json);

} // namespace wharf::engine
