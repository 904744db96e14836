#pragma once
/// The kernel DNAT fast path for a container's published ports, beside its userland proxy:
/// the monitor keeps every listener (it holds the port, so conflicts are found as before, and
/// it serves what DNAT does not: IPv6 listeners, SCTP); install() adds nftables rules that
/// send the IPv4 connections to the container's address before they reach the listener.
/// Rule text and table layout: engine/port/dnat_rules.h.
///
///   install  replaces the container's rules with ones for `ports` (a restart re-installs)
///            and any stale chain forwarding one of those host ports (call it only once the
///            listeners are bound: a live chain's container would be holding the port),
///            and sets route_localnet=1 on the bridge when loopback clients are served
///            (the connection is then masqueraded to the gateway address). Prerouting rules
///            (other hosts, hairpin) only when /proc/sys/net/ipv4/ip_forward is 1.
///            Fails — leaving no rule — when nf_tables is unusable (no kernel support,
///            no CAP_NET_ADMIN); callers then rely on the proxy alone.
///   remove   deletes the container's rules, then forgets the UDP flows conntrack still
///            translates to it (engine/sys/conntrack.h); fine when there are none.
///   sweep    deletes the rules of this state root's containers not in `live_ids` (their
///            monitor died without removing them; their UDP flows too) and the guards of
///            bridges that are gone.
/// Every change is one atomic nftables transaction (after a listing or two); safe from
/// several processes at once. Each opens its own libnftables context: not for hot paths.

#include "engine/api/port.h"
#include "engine/base/result.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine {

struct DnatTarget {
    std::string address; ///< the container's IPv4 address on its first network
    std::string subnet;  ///< that network's subnet, "10.88.0.0/24"
    std::string bridge;  ///< that network's bridge, "wharf0"
};

Result<void> install_port_dnat(std::string_view state_root, std::string_view container_id, const DnatTarget& target,
                               const std::vector<PublishedPort>& ports);
Result<void> remove_port_dnat(std::string_view state_root, std::string_view container_id);
/// The number of containers whose rules were removed.
Result<int> sweep_port_dnat(std::string_view state_root, const std::set<std::string>& live_ids);

/// Deletes the guard of a bridge that was just deleted (network rm); fine when there is none.
Result<void> remove_bridge_guard(std::string_view bridge);

} // namespace wharf::engine
