#pragma once
/// Netlink: a small rtnetlink client (on netlink_message.h) for what wharf's networks need: links
/// (bridges, veth pairs, up, master, rename, move to a netns, delete), IPv4/IPv6 addresses
/// and routes, and dumps of links and routes.
///
/// A Netlink talks to the network namespace it was opened in: `open()` uses the calling
/// thread's, `open_in(netns_fd)` creates the socket inside another one (from a short-lived
/// helper thread, so the caller's namespace never changes) and keeps working there.
/// Every failure names the request and its subject: `netlink RTM_NEWLINK veth "veth1a2b3c4": File exists`.
/// Not thread-safe: one Netlink per thread.

#include "engine/base/result.h"
#include "engine/sys/netlink_message.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wharf::sys {

struct LinkInfo {
    int index = 0;
    std::string name;
    std::string kind;   ///< "bridge", "veth", "" for devices without IFLA_INFO_KIND
    int master = 0;     ///< ifindex of the bridge it is enslaved to, 0 if none
    bool up = false;
    std::string mac;    ///< "02:42:0a:59:00:02"
};

struct RouteInfo {
    int family = 0;          ///< AF_INET or AF_INET6
    std::string destination; ///< "" for a default route
    int prefix = 0;
    std::string gateway;
    int oif = 0;
};

struct AddressInfo {
    int family = 0;
    int index = 0;
    std::string address;
    int prefix = 0;
};

class Netlink {
public:
    static Result<Netlink> open();
    /// A socket inside the network namespace `netns_fd` (an open /proc/<pid>/ns/net).
    static Result<Netlink> open_in(int netns_fd);

    /// NotFound when no link has that name.
    Result<int> link_index(const std::string& name);
    Result<LinkInfo> link(const std::string& name);
    Result<std::vector<LinkInfo>> links();

    Result<void> add_bridge(const std::string& name);
    /// A veth pair `name` <-> `peer`; with `peer_netns_fd` >= 0 the peer is created directly
    /// inside that namespace (no rename race with the host's names).
    Result<void> add_veth(const std::string& name, const std::string& peer, int peer_netns_fd = -1);
    Result<void> set_up(int index);
    Result<void> set_master(int index, int master_index);
    Result<void> set_name(int index, const std::string& name);
    Result<void> set_netns(int index, int netns_fd);
    /// Deletes a link (for a veth: both ends). NotFound when it is already gone.
    Result<void> delete_link(int index);
    Result<void> delete_link(const std::string& name);

    /// Adds `address`/`prefix` (IPv4 or IPv6 text) on link `index`.
    Result<void> add_address(int index, const std::string& address, int prefix);
    Result<std::vector<AddressInfo>> addresses(int family);
    /// Adds a route; an empty `destination` with prefix 0 is the default route.
    Result<void> add_route(const std::string& destination, int prefix, const std::string& gateway, int oif);
    /// Routes of the main table for `family`.
    Result<std::vector<RouteInfo>> routes(int family);

private:
    explicit Netlink(NetlinkSocket socket) : m_socket(std::move(socket)) {}

    NetlinkSocket m_socket;
};

} // namespace wharf::sys
