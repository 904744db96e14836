#pragma once
/// The nftables rule text of the kernel DNAT fast path for published ports (what podman's
/// netavark and Docker with userland-proxy=false install), as pure functions over values.
///
/// Everything lives in one wharf-owned table, `table ip wharf`; no other table is touched.
/// Each container gets its own base chains, named by the state root's scope and its id:
///   w<scope>-<id>-out   nat output, priority -100: locally generated traffic to the published
///                       address (127.0.0.1, a host address, or any local one for 0.0.0.0)
///   w<scope>-<id>-pre   nat prerouting, priority -100: the same from other hosts and from
///                       containers (hairpin); only when the host forwards IPv4 (ip_forward=1),
///                       since without forwarding a DNATed packet would be dropped where the
///                       userland proxy would have served it
///   w<scope>-<id>-post  nat postrouting, priority 100: masquerade the DNATed connections whose
///                       source the container could not answer: 127.0.0.0/8 (loopback clients)
///                       and, with -pre, the container's own subnet (hairpin)
/// Own base chains (rather than rules in shared chains) make removal exact and handle-free:
/// deleting a container's chains deletes its rules, nothing else. Every rule matches the
/// published destination (address and port) or a connection DNATed to the container's
/// port, so no other traffic is affected. The nat core evaluates nat chains only for a
/// connection's first packet; established connections and conntrack entries are untouched.
///
/// A per-bridge guard, `guard-<bridge>` (filter prerouting, priority raw), drops packets that
/// arrive on the bridge for 127.0.0.0/8: loopback DNAT needs route_localnet=1 on the bridge,
/// which would otherwise let a container reach the host's loopback services (CVE-2020-8558).
/// It lives as long as the bridge, not as a container.
///
/// What DNAT serves: IPv4 host addresses (or the default 0.0.0.0) for TCP and UDP. IPv6
/// listeners (the container has IPv4 only) and SCTP stay with the userland proxy.
/// The <scope> keeps state roots apart (parallel tests, several roots on one host): a sweep
/// only ever removes chains of its own scope.

#include "engine/api/port.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine {

inline constexpr std::string_view kDnatTable = "wharf";

struct DnatPlan {
    std::string scope;        ///< dnat_scope(state root)
    std::string container_id; ///< 64 hex
    std::string address;      ///< the container's IPv4 address, "10.88.0.2"
    std::string subnet;       ///< its network, "10.88.0.0/24" (hairpin masquerade)
    std::string bridge;       ///< the bridge it is on, "wharf0" (the guard)
    bool prerouting = false;  ///< also serve traffic from other hosts and containers
    /// The container may have chains already (a restart): delete them first. Off when a
    /// listing showed none, because deleting anything in a transaction makes the kernel run
    /// an RCU grace period when the netlink socket closes: ~15 ms of each container start
    /// here (nf_tables' NETLINK_URELEASE handler flushes its destroy work; kernel 6.18).
    bool replace = true;
    /// Write the bridge's guard (off when a listing showed it: rewriting it would delete its
    /// rule, with the same cost).
    bool guard = true;
    std::vector<PublishedPort> ports;
};

/// 8 hex digits identifying a state root (FNV-1a of its path): the same root, the same scope.
std::string dnat_scope(std::string_view state_root);

/// Whether DNAT can serve this listener (IPv4 host address, TCP or UDP).
bool dnat_serves(const PublishedPort& port);

/// "w<scope>-<id>" — every chain of the container starts with it.
std::string dnat_chain_prefix(std::string_view scope, std::string_view container_id);

/// One nft batch that replaces the container's chains with `plan`'s (removing any earlier
/// ones when plan.replace, so a restart does not duplicate them) and ensures the bridge's
/// guard. Applied
/// atomically by the kernel. "" when no port of the plan is served by DNAT.
std::string dnat_install_script(const DnatPlan& plan);

/// The containers (any scope) whose -out chain in `listing` (`list table ip wharf`) forwards a
/// host port `plan` is about to forward, on an overlapping address: "w<scope>-<id>" prefixes.
/// They are stale — a live one would hold that port's listener, and the caller's bind of it
/// succeeded — e.g. left by a SIGKILLed monitor whose state root is gone, and at the same
/// hook priority their rules could win over the new ones. The caller deletes them first.
std::vector<std::string> dnat_conflicting_chains(std::string_view listing, const DnatPlan& plan);

/// One nft batch deleting the chains starting with `prefix` ("w<scope>-<id>").
std::string dnat_remove_prefix_script(std::string_view prefix);

/// One nft batch deleting the container's chains; succeeds whether or not they exist.
std::string dnat_remove_script(std::string_view scope, std::string_view container_id);

/// The UDP forwards in a listing of a container's -out chain (`list chain ip wharf …-out`):
/// container address -> the host ports DNATed to it. Read before removal, so the UDP flows
/// conntrack still translates can be forgotten (engine/sys/conntrack.h).
std::map<std::string, std::set<uint16_t>> parse_udp_forwards(std::string_view chain_listing);

/// One nft batch deleting a bridge's guard; succeeds whether or not it exists.
std::string dnat_remove_guard_script(std::string_view bridge);

/// What `list table ip wharf` shows: the container ids of `scope` that have chains, and
/// the bridges that have a guard.
struct DnatListing {
    std::set<std::string> container_ids;
    std::set<std::string> guarded_bridges;
};
DnatListing parse_dnat_listing(std::string_view listing, std::string_view scope);

/// One nft batch deleting the chains of `scope`'s containers not in `live`, and the guards of
/// bridges not in `present_bridges`; "" when nothing is stale.
std::string dnat_sweep_script(const DnatListing& listing, std::string_view scope, const std::set<std::string>& live,
                              const std::set<std::string>& present_bridges);

} // namespace wharf::engine
