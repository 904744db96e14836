#include "engine/sys/conntrack.h"

#include "engine/sys/netlink_message.h"

#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <vector>

namespace wharf::sys {

namespace {

struct Tuple {
    uint32_t src = 0, dst = 0; // network order
    uint8_t proto = 0;
    uint16_t sport = 0, dport = 0; // network order
};

struct Flow {
    Tuple orig, reply;
};

Tuple parse_tuple(const NetlinkAttr& t)
{
    Tuple out;
    NetlinkAttrs<CTA_TUPLE_MAX> tuple(t.payload);
    if (const NetlinkAttr* ip = tuple[CTA_TUPLE_IP]) {
        NetlinkAttrs<CTA_IP_MAX> addrs(ip->payload);
        if (const NetlinkAttr* a = addrs[CTA_IP_V4_SRC])
            out.src = a->u32();
        if (const NetlinkAttr* a = addrs[CTA_IP_V4_DST])
            out.dst = a->u32();
    }
    if (const NetlinkAttr* p = tuple[CTA_TUPLE_PROTO]) {
        NetlinkAttrs<CTA_PROTO_MAX> proto(p->payload);
        if (const NetlinkAttr* a = proto[CTA_PROTO_NUM])
            out.proto = a->u8();
        if (const NetlinkAttr* a = proto[CTA_PROTO_SRC_PORT])
            out.sport = a->u16();
        if (const NetlinkAttr* a = proto[CTA_PROTO_DST_PORT])
            out.dport = a->u16();
    }
    return out;
}

void put_tuple(NetlinkMessage& m, uint16_t type, const Tuple& t)
{
    size_t tuple = m.begin_nest(type);
    size_t ip = m.begin_nest(CTA_TUPLE_IP);
    m.put_u32(CTA_IP_V4_SRC, t.src);
    m.put_u32(CTA_IP_V4_DST, t.dst);
    m.end_nest(ip);
    size_t proto = m.begin_nest(CTA_TUPLE_PROTO);
    m.put_u8(CTA_PROTO_NUM, t.proto);
    m.put_u16(CTA_PROTO_SRC_PORT, t.sport);
    m.put_u16(CTA_PROTO_DST_PORT, t.dport);
    m.end_nest(proto);
    m.end_nest(tuple);
}

/// A ctnetlink request for IPv4 entries.
NetlinkMessage conntrack_message(uint16_t msg, uint16_t flags)
{
    NetlinkMessage m(static_cast<uint16_t>((NFNL_SUBSYS_CTNETLINK << 8) | msg), flags);
    nfgenmsg nfg{};
    nfg.nfgen_family = AF_INET;
    nfg.version = NFNETLINK_V0;
    nfg.res_id = 0;
    m.put_header(nfg);
    return m;
}

} // namespace

Result<int> forget_udp_dnat_flows(const std::string& to_address, const std::set<uint16_t>& host_ports)
{
    in_addr target{};
    if (inet_pton(AF_INET, to_address.c_str(), &target) != 1)
        return Error(Errc::Invalid, "conntrack: not an IPv4 address: " + to_address);
    if (host_ports.empty())
        return 0;
    NetlinkSocket socket = TRY(NetlinkSocket::open(NETLINK_NETFILTER, "NETLINK_NETFILTER"));

    std::vector<Tuple> matches;
    NetlinkMessage dump = conntrack_message(IPCTNL_MSG_CT_GET, NLM_F_DUMP);
    TRY(socket.exchange(dump, "IPCTNL_MSG_CT_GET dump", [&](const NetlinkReply& entry) {
        NetlinkAttrs<CTA_MAX> top(entry.attributes<nfgenmsg>());
        if (!top[CTA_TUPLE_ORIG] || !top[CTA_TUPLE_REPLY])
            return;
        Flow f{parse_tuple(*top[CTA_TUPLE_ORIG]), parse_tuple(*top[CTA_TUPLE_REPLY])};
        bool dnated_to_target = f.reply.src == target.s_addr;
        if (f.orig.proto == IPPROTO_UDP && dnated_to_target && host_ports.count(ntohs(f.orig.dport)))
            matches.push_back(f.orig);
    }));

    int deleted = 0;
    for (const auto& t : matches) {
        NetlinkMessage del = conntrack_message(IPCTNL_MSG_CT_DELETE, NLM_F_ACK);
        put_tuple(del, CTA_TUPLE_ORIG, t);
        auto r = socket.exchange(del, "IPCTNL_MSG_CT_DELETE");
        if (r)
            ++deleted;
        else if (r.error().code() != Errc::NotFound) // expired meanwhile
            return std::move(r).error();
    }
    return deleted;
}

} // namespace wharf::sys
