#pragma once
/// What the embedded DNS answers for one container, computed from the network records: on
/// every user-defined network the container is attached to (not the default `bridge`, as in
/// Docker), each endpoint answers to its container name, its aliases (Compose puts the
/// service name there, so a scaled service answers with every replica's address) and its
/// short container id. Pure; thread-safe.

#include "engine/network/network.h"

#include <string>
#include <vector>

namespace wharf::engine::dns {

/// IPv4 addresses for `name` (lower-case, no trailing dot), deduplicated, in endpoint order.
std::vector<std::string> lookup_names(const std::vector<NetworkRecord>& networks, const std::string& container_id,
                                      const std::string& name);

/// True when `name` is a known name on those networks (then AAAA/MX get an empty NOERROR).
bool is_known_name(const std::vector<NetworkRecord>& networks, const std::string& container_id, const std::string& name);

/// The container name owning `ipv4` on a shared network, for PTR; empty when none.
std::string lookup_address(const std::vector<NetworkRecord>& networks, const std::string& container_id,
                           const std::string& ipv4);

} // namespace wharf::engine::dns
