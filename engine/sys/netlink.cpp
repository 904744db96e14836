#include "engine/sys/netlink.h"

#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <functional>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <thread>
#include <time.h>
#include <unistd.h>

namespace wharf::sys {

/// What a request collects from its reply messages (dumps); null for plain ACKed requests.
struct Netlink::Reply {
    std::function<void(const nlmsghdr*)> on_message;
};

namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

/// Attributes by type, for one message; types past `max` (a kernel newer than our headers)
/// are skipped rather than written past the table.
template <size_t N>
struct AttrTable {
    const nlattr* tb[N] = {};
    const nlattr* operator[](size_t i) const { return i < N ? tb[i] : nullptr; }
};

template <size_t N>
int collect_attr(const nlattr* attr, void* data)
{
    auto* table = static_cast<AttrTable<N>*>(data);
    uint16_t type = mnl_attr_get_type(attr);
    if (type < N)
        table->tb[type] = attr;
    return MNL_CB_OK;
}

std::string format_mac(const nlattr* a)
{
    if (!a || mnl_attr_get_payload_len(a) != 6)
        return {};
    auto* p = static_cast<const unsigned char*>(mnl_attr_get_payload(a));
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3], p[4], p[5]);
    return buf;
}

std::string format_addr(int family, const nlattr* a)
{
    if (!a)
        return {};
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, mnl_attr_get_payload(a), buf, sizeof buf);
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

nlmsghdr* put_header(char* buf, uint16_t type, uint16_t flags)
{
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    return nlh;
}

ifinfomsg* put_ifinfo(nlmsghdr* nlh, int index = 0)
{
    auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = index;
    return ifm;
}

LinkInfo parse_link(const nlmsghdr* nlh)
{
    AttrTable<IFLA_MAX + 1> tb;
    auto* ifm = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
    mnl_attr_parse(nlh, sizeof(*ifm), collect_attr<IFLA_MAX + 1>, &tb);
    LinkInfo info;
    info.index = ifm->ifi_index;
    info.up = (ifm->ifi_flags & IFF_UP) != 0;
    if (tb[IFLA_IFNAME])
        info.name = mnl_attr_get_str(tb[IFLA_IFNAME]);
    if (tb[IFLA_MASTER])
        info.master = static_cast<int>(mnl_attr_get_u32(tb[IFLA_MASTER]));
    info.mac = format_mac(tb[IFLA_ADDRESS]);
    if (tb[IFLA_LINKINFO]) {
        AttrTable<IFLA_INFO_MAX + 1> li;
        mnl_attr_parse_nested(tb[IFLA_LINKINFO], collect_attr<IFLA_INFO_MAX + 1>, &li);
        if (li[IFLA_INFO_KIND])
            info.kind = mnl_attr_get_str(li[IFLA_INFO_KIND]);
    }
    return info;
}

} // namespace

Netlink::Netlink(mnl_socket* socket) : m_socket(socket), m_portid(mnl_socket_get_portid(socket)),
    m_seq(static_cast<unsigned>(time(nullptr))) {}

Netlink::Netlink(Netlink&& other) noexcept
    : m_socket(std::exchange(other.m_socket, nullptr)), m_portid(other.m_portid), m_seq(other.m_seq) {}

Netlink& Netlink::operator=(Netlink&& other) noexcept
{
    if (this != &other) {
        if (m_socket)
            mnl_socket_close(m_socket);
        m_socket = std::exchange(other.m_socket, nullptr);
        m_portid = other.m_portid;
        m_seq = other.m_seq;
    }
    return *this;
}

Netlink::~Netlink()
{
    if (m_socket)
        mnl_socket_close(m_socket);
}

Result<Netlink> Netlink::open()
{
    mnl_socket* nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!nl)
        return Error::from_errno("socket(2) NETLINK_ROUTE", errno);
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        int err = errno;
        mnl_socket_close(nl);
        return Error::from_errno("bind(2) NETLINK_ROUTE", err);
    }
    return Netlink(nl);
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

Result<void> Netlink::request(void* message, const std::string& what, Reply* reply)
{
    auto* nlh = static_cast<nlmsghdr*>(message);
    nlh->nlmsg_seq = ++m_seq;
    // A dump ends with NLMSG_DONE; everything else (a single GET reply too) with an ACK.
    if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP) // NLM_F_EXCL shares a bit with DUMP
        nlh->nlmsg_flags |= NLM_F_ACK;
    if (mnl_socket_sendto(m_socket, nlh, nlh->nlmsg_len) < 0)
        return Error::from_errno("netlink " + what, errno);
    std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE * 4);
    auto cb = [](const nlmsghdr* msg, void* data) -> int {
        auto* r = static_cast<Reply*>(data);
        if (r && r->on_message)
            r->on_message(msg);
        return MNL_CB_OK;
    };
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(m_socket, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error::from_errno("netlink " + what, errno);
        }
        int ret = mnl_cb_run(buf.data(), static_cast<size_t>(n), m_seq, m_portid, cb, reply);
        if (ret < 0)
            return Error::from_errno("netlink " + what, errno);
        if (ret == MNL_CB_STOP)
            return ok();
        // MNL_CB_OK: a multipart dump continues until NLMSG_DONE.
    }
}

Result<std::vector<LinkInfo>> Netlink::links()
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_GETLINK, NLM_F_DUMP);
    put_ifinfo(nlh);
    std::vector<LinkInfo> out;
    Reply reply{[&](const nlmsghdr* m) {
        if (m->nlmsg_type == RTM_NEWLINK)
            out.push_back(parse_link(m));
    }};
    TRY(request(nlh, "RTM_GETLINK dump", &reply));
    return out;
}

Result<LinkInfo> Netlink::link(const std::string& name)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_GETLINK, 0);
    put_ifinfo(nlh);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
    std::optional<LinkInfo> found;
    Reply reply{[&](const nlmsghdr* m) {
        if (m->nlmsg_type == RTM_NEWLINK)
            found = parse_link(m);
    }};
    auto r = request(nlh, "RTM_GETLINK " + quoted(name), &reply);
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
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    put_ifinfo(nlh);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
    nlattr* info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
    mnl_attr_nest_end(nlh, info);
    return request(nlh, "RTM_NEWLINK bridge " + quoted(name));
}

Result<void> Netlink::add_veth(const std::string& name, const std::string& peer, int peer_netns_fd)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    put_ifinfo(nlh);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
    nlattr* info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
    nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    nlattr* peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
    put_ifinfo(nlh); // the peer's own ifinfomsg precedes its attributes
    mnl_attr_put_strz(nlh, IFLA_IFNAME, peer.c_str());
    if (peer_netns_fd >= 0)
        mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(peer_netns_fd));
    mnl_attr_nest_end(nlh, peer_nest);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, info);
    return request(nlh, "RTM_NEWLINK veth " + quoted(name) + " peer " + quoted(peer));
}

Result<void> Netlink::set_up(int index)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_NEWLINK, 0);
    ifinfomsg* ifm = put_ifinfo(nlh, index);
    ifm->ifi_flags = IFF_UP;
    ifm->ifi_change = IFF_UP;
    return request(nlh, "RTM_NEWLINK up #" + std::to_string(index));
}

Result<void> Netlink::set_master(int index, int master_index)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_NEWLINK, 0);
    put_ifinfo(nlh, index);
    mnl_attr_put_u32(nlh, IFLA_MASTER, static_cast<uint32_t>(master_index));
    return request(nlh, "RTM_NEWLINK master #" + std::to_string(index));
}

Result<void> Netlink::set_name(int index, const std::string& name)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_NEWLINK, 0);
    put_ifinfo(nlh, index);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
    return request(nlh, "RTM_NEWLINK rename #" + std::to_string(index) + " to " + quoted(name));
}

Result<void> Netlink::set_netns(int index, int netns_fd)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_NEWLINK, 0);
    put_ifinfo(nlh, index);
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd));
    return request(nlh, "RTM_NEWLINK netns #" + std::to_string(index));
}

Result<void> Netlink::delete_link(int index)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_DELLINK, 0);
    put_ifinfo(nlh, index);
    auto r = request(nlh, "RTM_DELLINK #" + std::to_string(index));
    if (!r && r.error().sys_errno() == ENODEV)
        return Error(Errc::NotFound, "no network interface #" + std::to_string(index));
    return r;
}

Result<void> Netlink::delete_link(const std::string& name)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_DELLINK, 0);
    put_ifinfo(nlh);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
    auto r = request(nlh, "RTM_DELLINK " + quoted(name));
    if (!r && r.error().sys_errno() == ENODEV)
        return Error(Errc::NotFound, "no network interface " + quoted(name));
    return r;
}

Result<void> Netlink::add_address(int index, const std::string& address, int prefix)
{
    auto [family, bytes] = TRY(parse_addr(address));
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
    ifa->ifa_family = static_cast<unsigned char>(family);
    ifa->ifa_prefixlen = static_cast<unsigned char>(prefix);
    ifa->ifa_index = static_cast<unsigned>(index);
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    size_t len = family == AF_INET ? 4 : 16;
    mnl_attr_put(nlh, IFA_LOCAL, len, bytes.data());
    mnl_attr_put(nlh, IFA_ADDRESS, len, bytes.data());
    if (family == AF_INET6) // no duplicate address detection: the address is ours alone
        mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
    return request(nlh, "RTM_NEWADDR " + address + "/" + std::to_string(prefix) + " on #" + std::to_string(index));
}

Result<std::vector<AddressInfo>> Netlink::addresses(int family)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_GETADDR, NLM_F_DUMP);
    auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
    ifa->ifa_family = static_cast<unsigned char>(family);
    std::vector<AddressInfo> out;
    Reply reply{[&](const nlmsghdr* m) {
        if (m->nlmsg_type != RTM_NEWADDR)
            return;
        auto* a = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(m));
        if (a->ifa_family != family)
            return;
        AttrTable<IFA_MAX + 1> tb;
        mnl_attr_parse(m, sizeof(*a), collect_attr<IFA_MAX + 1>, &tb);
        out.push_back({a->ifa_family, static_cast<int>(a->ifa_index),
                       format_addr(a->ifa_family, tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS]), a->ifa_prefixlen});
    }};
    TRY(request(nlh, "RTM_GETADDR dump", &reply));
    return out;
}

Result<void> Netlink::add_route(const std::string& destination, int prefix, const std::string& gateway, int oif)
{
    auto [family, gw] = TRY(parse_addr(gateway));
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
    auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
    rtm->rtm_family = static_cast<unsigned char>(family);
    rtm->rtm_dst_len = static_cast<unsigned char>(prefix);
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = RTPROT_BOOT;
    rtm->rtm_scope = RT_SCOPE_UNIVERSE;
    rtm->rtm_type = RTN_UNICAST;
    size_t len = family == AF_INET ? 4 : 16;
    if (!destination.empty()) {
        auto [dfamily, dst] = TRY(parse_addr(destination));
        if (dfamily != family)
            return Error(Errc::Invalid, "route " + destination + " via " + gateway + ": mixed address families");
        mnl_attr_put(nlh, RTA_DST, len, dst.data());
    }
    mnl_attr_put(nlh, RTA_GATEWAY, len, gw.data());
    if (oif > 0)
        mnl_attr_put_u32(nlh, RTA_OIF, static_cast<uint32_t>(oif));
    return request(nlh, "RTM_NEWROUTE " + (destination.empty() ? std::string("default") : destination + "/" +
                   std::to_string(prefix)) + " via " + gateway);
}

Result<std::vector<RouteInfo>> Netlink::routes(int family)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    nlmsghdr* nlh = put_header(buf, RTM_GETROUTE, NLM_F_DUMP);
    auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
    rtm->rtm_family = static_cast<unsigned char>(family);
    std::vector<RouteInfo> out;
    Reply reply{[&](const nlmsghdr* m) {
        if (m->nlmsg_type != RTM_NEWROUTE)
            return;
        auto* r = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(m));
        if (r->rtm_family != family)
            return;
        AttrTable<RTA_MAX + 1> tb;
        mnl_attr_parse(m, sizeof(*r), collect_attr<RTA_MAX + 1>, &tb);
        uint32_t table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : r->rtm_table;
        if (table != RT_TABLE_MAIN)
            return;
        RouteInfo info;
        info.family = family;
        info.destination = format_addr(family, tb[RTA_DST]);
        info.prefix = r->rtm_dst_len;
        info.gateway = format_addr(family, tb[RTA_GATEWAY]);
        info.oif = tb[RTA_OIF] ? static_cast<int>(mnl_attr_get_u32(tb[RTA_OIF])) : 0;
        out.push_back(std::move(info));
    }};
    TRY(request(nlh, "RTM_GETROUTE dump", &reply));
    return out;
}

} // namespace wharf::sys
