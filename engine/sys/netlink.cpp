#include "engine/sys/netlink.h"

#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <thread>
#include <unistd.h>

namespace wharf::sys {

namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string format_mac(const NetlinkAttr* a)
{
    if (!a || a->payload.size() != 6)
        return {};
    const unsigned char* p = a->payload.data();
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3], p[4], p[5]);
    return buf;
}

std::string format_addr(int family, const NetlinkAttr* a)
{
    if (!a || a->payload.size() != (family == AF_INET ? 4u : 16u))
        return {};
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, a->payload.data(), buf, sizeof buf);
    return buf;
}

Result<std::pair<int, std::array<unsigned char, 16>>> parse_addr(const std::string& text)
{
    std::array<unsigned char, 16> buf{};
    if (inet_pton(AF_INET, text.c_str(), buf.data()) == 1)
        return std::pair{AF_INET, buf};
    if (inet_pton(AF_INET6, text.c_str(), buf.data()) == 1)
        return std::pair{AF_INET6, buf};
    return Error(Errc::Invalid, "invalid IP address: " + text);
}

/// The address bytes of `family` out of parse_addr's buffer.
std::span<const unsigned char> addr_bytes(int family, const std::array<unsigned char, 16>& buf)
{
    return std::span(buf).first(family == AF_INET ? 4 : 16);
}

ifinfomsg ifinfo(int index = 0)
{
    ifinfomsg ifm{};
    ifm.ifi_family = AF_UNSPEC;
    ifm.ifi_index = index;
    return ifm;
}

/// A link request: RTM_NEWLINK/RTM_GETLINK/RTM_DELLINK with the ifinfomsg of link `index`.
NetlinkMessage link_message(uint16_t type, uint16_t flags, int index = 0)
{
    NetlinkMessage m(type, flags);
    m.put_header(ifinfo(index));
    return m;
}

std::optional<LinkInfo> parse_link(const NetlinkReply& m)
{
    auto ifm = m.header<ifinfomsg>();
    if (!ifm)
        return std::nullopt;
    NetlinkAttrs<IFLA_MAX> tb(m.attributes<ifinfomsg>());
    LinkInfo info;
    info.index = ifm->ifi_index;
    info.up = (ifm->ifi_flags & IFF_UP) != 0;
    if (tb[IFLA_IFNAME])
        info.name = tb[IFLA_IFNAME]->str();
    if (tb[IFLA_MASTER])
        info.master = static_cast<int>(tb[IFLA_MASTER]->u32());
    info.mac = format_mac(tb[IFLA_ADDRESS]);
    if (tb[IFLA_LINKINFO]) {
        NetlinkAttrs<IFLA_INFO_MAX> li(tb[IFLA_LINKINFO]->payload);
        if (li[IFLA_INFO_KIND])
            info.kind = li[IFLA_INFO_KIND]->str();
    }
    return info;
}

} // namespace

Result<Netlink> Netlink::open()
{
    return Netlink(TRY(NetlinkSocket::open(NETLINK_ROUTE, "NETLINK_ROUTE")));
}

Result<Netlink> Netlink::open_in(int netns_fd)
{
    // A socket belongs to the namespace it was created in. setns(2) changes only the calling
    // thread's namespace, so a helper thread enters the target and creates the socket there.
    std::optional<Result<Netlink>> out;
    std::thread([&] {
        if (setns(netns_fd, CLONE_NEWNET) != 0) {
            out.emplace(Error::from_errno("setns(2) CLONE_NEWNET", errno));
            return;
        }
        out.emplace(open());
    }).join();
    return std::move(*out);
}

Result<std::vector<LinkInfo>> Netlink::links()
{
    NetlinkMessage m = link_message(RTM_GETLINK, NLM_F_DUMP);
    std::vector<LinkInfo> out;
    TRY(m_socket.exchange(m, "RTM_GETLINK dump", [&](const NetlinkReply& r) {
        if (r.type == RTM_NEWLINK)
            if (auto info = parse_link(r))
                out.push_back(std::move(*info));
    }));
    return out;
}

Result<LinkInfo> Netlink::link(const std::string& name)
{
    NetlinkMessage m = link_message(RTM_GETLINK, 0);
    m.put_string(IFLA_IFNAME, name);
    std::optional<LinkInfo> found;
    auto r = m_socket.exchange(m, "RTM_GETLINK " + quoted(name), [&](const NetlinkReply& reply) {
        if (reply.type == RTM_NEWLINK)
            found = parse_link(reply);
    });
    if (!r) {
        if (r.error().sys_errno() == ENODEV)
            return Error(Errc::NotFound, "no network interface " + quoted(name));
        return std::move(r).error();
    }
    if (!found)
        return Error(Errc::NotFound, "no network interface " + quoted(name));
    return *found;
}

Result<int> Netlink::link_index(const std::string& name)
{
    return TRY(link(name)).index;
}

Result<void> Netlink::add_bridge(const std::string& name)
{
    NetlinkMessage m = link_message(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    m.put_string(IFLA_IFNAME, name);
    size_t info = m.begin_nest(IFLA_LINKINFO);
    m.put_string(IFLA_INFO_KIND, "bridge");
    m.end_nest(info);
    return m_socket.exchange(m, "RTM_NEWLINK bridge " + quoted(name));
}

Result<void> Netlink::add_veth(const std::string& name, const std::string& peer, int peer_netns_fd)
{
    NetlinkMessage m = link_message(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    m.put_string(IFLA_IFNAME, name);
    size_t info = m.begin_nest(IFLA_LINKINFO);
    m.put_string(IFLA_INFO_KIND, "veth");
    size_t data = m.begin_nest(IFLA_INFO_DATA);
    size_t peer_nest = m.begin_nest(VETH_INFO_PEER);
    m.put_header(ifinfo()); // the peer's own ifinfomsg precedes its attributes
    m.put_string(IFLA_IFNAME, peer);
    if (peer_netns_fd >= 0)
        m.put_u32(IFLA_NET_NS_FD, static_cast<uint32_t>(peer_netns_fd));
    m.end_nest(peer_nest);
    m.end_nest(data);
    m.end_nest(info);
    return m_socket.exchange(m, "RTM_NEWLINK veth " + quoted(name) + " peer " + quoted(peer));
}

Result<void> Netlink::set_up(int index)
{
    NetlinkMessage m(RTM_NEWLINK, 0);
    ifinfomsg ifm = ifinfo(index);
    ifm.ifi_flags = IFF_UP;
    ifm.ifi_change = IFF_UP;
    m.put_header(ifm);
    return m_socket.exchange(m, "RTM_NEWLINK up #" + std::to_string(index));
}

Result<void> Netlink::set_master(int index, int master_index)
{
    NetlinkMessage m = link_message(RTM_NEWLINK, 0, index);
    m.put_u32(IFLA_MASTER, static_cast<uint32_t>(master_index));
    return m_socket.exchange(m, "RTM_NEWLINK master #" + std::to_string(index));
}

Result<void> Netlink::set_name(int index, const std::string& name)
{
    NetlinkMessage m = link_message(RTM_NEWLINK, 0, index);
    m.put_string(IFLA_IFNAME, name);
    return m_socket.exchange(m, "RTM_NEWLINK rename #" + std::to_string(index) + " to " + quoted(name));
}

Result<void> Netlink::set_netns(int index, int netns_fd)
{
    NetlinkMessage m = link_message(RTM_NEWLINK, 0, index);
    m.put_u32(IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd));
    return m_socket.exchange(m, "RTM_NEWLINK netns #" + std::to_string(index));
}

Result<void> Netlink::delete_link(int index)
{
    NetlinkMessage m = link_message(RTM_DELLINK, 0, index);
    auto r = m_socket.exchange(m, "RTM_DELLINK #" + std::to_string(index));
    if (!r && r.error().sys_errno() == ENODEV)
        return Error(Errc::NotFound, "no network interface #" + std::to_string(index));
    return r;
}

Result<void> Netlink::delete_link(const std::string& name)
{
    NetlinkMessage m = link_message(RTM_DELLINK, 0);
    m.put_string(IFLA_IFNAME, name);
    auto r = m_socket.exchange(m, "RTM_DELLINK " + quoted(name));
    if (!r && r.error().sys_errno() == ENODEV)
        return Error(Errc::NotFound, "no network interface " + quoted(name));
    return r;
}

Result<void> Netlink::add_address(int index, const std::string& address, int prefix)
{
    auto [family, bytes] = TRY(parse_addr(address));
    NetlinkMessage m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    ifaddrmsg ifa{};
    ifa.ifa_family = static_cast<unsigned char>(family);
    ifa.ifa_prefixlen = static_cast<unsigned char>(prefix);
    ifa.ifa_index = static_cast<unsigned>(index);
    ifa.ifa_scope = RT_SCOPE_UNIVERSE;
    m.put_header(ifa);
    m.put(IFA_LOCAL, addr_bytes(family, bytes));
    m.put(IFA_ADDRESS, addr_bytes(family, bytes));
    if (family == AF_INET6) // no duplicate address detection: the address is ours alone
        m.put_u32(IFA_FLAGS, IFA_F_NODAD);
    return m_socket.exchange(m, "RTM_NEWADDR " + address + "/" + std::to_string(prefix) + " on #" +
                                    std::to_string(index));
}

Result<std::vector<AddressInfo>> Netlink::addresses(int family)
{
    NetlinkMessage m(RTM_GETADDR, NLM_F_DUMP);
    ifaddrmsg ifa{};
    ifa.ifa_family = static_cast<unsigned char>(family);
    m.put_header(ifa);
    std::vector<AddressInfo> out;
    TRY(m_socket.exchange(m, "RTM_GETADDR dump", [&](const NetlinkReply& r) {
        auto a = r.header<ifaddrmsg>();
        if (r.type != RTM_NEWADDR || !a || a->ifa_family != family)
            return;
        NetlinkAttrs<IFA_MAX> tb(r.attributes<ifaddrmsg>());
        out.push_back({a->ifa_family, static_cast<int>(a->ifa_index),
                       format_addr(a->ifa_family, tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS]), a->ifa_prefixlen});
    }));
    return out;
}

Result<void> Netlink::add_route(const std::string& destination, int prefix, const std::string& gateway, int oif)
{
    auto [family, gw] = TRY(parse_addr(gateway));
    NetlinkMessage m(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
    rtmsg rtm{};
    rtm.rtm_family = static_cast<unsigned char>(family);
    rtm.rtm_dst_len = static_cast<unsigned char>(prefix);
    rtm.rtm_table = RT_TABLE_MAIN;
    rtm.rtm_protocol = RTPROT_BOOT;
    rtm.rtm_scope = RT_SCOPE_UNIVERSE;
    rtm.rtm_type = RTN_UNICAST;
    m.put_header(rtm);
    if (!destination.empty()) {
        auto [dfamily, dst] = TRY(parse_addr(destination));
        if (dfamily != family)
            return Error(Errc::Invalid, "route " + destination + " via " + gateway + ": mixed address families");
        m.put(RTA_DST, addr_bytes(family, dst));
    }
    m.put(RTA_GATEWAY, addr_bytes(family, gw));
    if (oif > 0)
        m.put_u32(RTA_OIF, static_cast<uint32_t>(oif));
    return m_socket.exchange(m, "RTM_NEWROUTE " + (destination.empty() ? std::string("default") : destination + "/" +
                                 std::to_string(prefix)) + " via " + gateway);
}

Result<std::vector<RouteInfo>> Netlink::routes(int family)
{
    NetlinkMessage m(RTM_GETROUTE, NLM_F_DUMP);
    rtmsg rtm{};
    rtm.rtm_family = static_cast<unsigned char>(family);
    m.put_header(rtm);
    std::vector<RouteInfo> out;
    TRY(m_socket.exchange(m, "RTM_GETROUTE dump", [&](const NetlinkReply& reply) {
        auto r = reply.header<rtmsg>();
        if (reply.type != RTM_NEWROUTE || !r || r->rtm_family != family)
            return;
        NetlinkAttrs<RTA_MAX> tb(reply.attributes<rtmsg>());
        uint32_t table = tb[RTA_TABLE] ? tb[RTA_TABLE]->u32() : r->rtm_table;
        if (table != RT_TABLE_MAIN)
            return;
        RouteInfo info;
        info.family = family;
        info.destination = format_addr(family, tb[RTA_DST]);
        info.prefix = r->rtm_dst_len;
        info.gateway = format_addr(family, tb[RTA_GATEWAY]);
        info.oif = tb[RTA_OIF] ? static_cast<int>(tb[RTA_OIF]->u32()) : 0;
        out.push_back(std::move(info));
    }));
    return out;
}

} // namespace wharf::sys
