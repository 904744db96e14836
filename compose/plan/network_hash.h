#pragma once
/// The config hash of a network: what decides "recreate the network or keep it", as docker
/// compose ≥ 2.24 labels networks with com.docker.compose.config-hash. sha256 over a
/// versioned prefix and the canonical JSON of the attributes the engine fixes at create —
/// driver ("" is "bridge"), driver_opts, ipam, internal, enable_ipv6 (unset is false),
/// attachable, labels — so that a renamed key or an edit elsewhere in the file never
/// recreates a network. The JSON is kept on the network too (labels::kNetworkConfig) so a
/// recreate can say what changed. Pure; thread-safe.

#include "compose/model/resources.h"

#include <string>
#include <vector>

namespace wharf::compose {

/// Compact JSON of the hashed attributes, keys sorted.
std::string canonical_network_json(const NetworkConfig& network);
/// sha256 hex of "wharf-network-hash/1\n" + canonical_network_json().
std::string network_config_hash(const NetworkConfig& network);
/// The top-level attributes that differ between two canonical_network_json() texts, sorted
/// ("driver", "driver_opts", "labels"); "*" when either does not parse.
std::vector<std::string> changed_network_fields(const std::string& old_json, const std::string& new_json);

} // namespace wharf::compose
