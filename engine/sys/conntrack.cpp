#include "engine/sys/conntrack.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <libmnl/libmnl.h>
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

/// The attributes of a nest (or of a message), by type; at most kMax of them.
constexpr int kMax = 32;
struct Attrs {
    const nlattr* by_type[kMax + 1] = {};
    const nlattr* operator[](uint16_t type) const { return type <= kMax ? by_type[type] : nullptr; }
};

int collect(const nlattr* attr, void* data)
{
    uint16_t type = mnl_attr_get_type(attr);
    if (type <= kMax)
        static_cast<Attrs*>(data)->by_type[type] = attr;
    return MNL_CB_OK;
}

Attrs children(const nlattr* nest)
{
    Attrs out;
    if (nest)
        (void)mnl_attr_parse_nested(nest, collect, &out);
    return out;
}

const nlattr* nested(const nlattr* parent, uint16_t type) { return children(parent)[type]; }

Tuple parse_tuple(const nlattr* t)
{
    Tuple out;
    if (const nlattr* ip = nested(t, CTA_TUPLE_IP)) {
        if (const nlattr* a = nested(ip, CTA_IP_V4_SRC))
            out.src = mnl_attr_get_u32(a);
        if (const nlattr* a = nested(ip, CTA_IP_V4_DST))
            out.dst = mnl_attr_get_u32(a);
    }
    if (const nlattr* p = nested(t, CTA_TUPLE_PROTO)) {
        if (const nlattr* a = nested(p, CTA_PROTO_NUM))
            out.proto = mnl_attr_get_u8(a);
        if (const nlattr* a = nested(p, CTA_PROTO_SRC_PORT))
            out.sport = mnl_attr_get_u16(a);
        if (const nlattr* a = nested(p, CTA_PROTO_DST_PORT))
            out.dport = mnl_attr_get_u16(a);
    }
    return out;
}

void put_tuple(nlmsghdr* nlh, uint16_t type, const Tuple& t)
{
    nlattr* tuple = mnl_attr_nest_start(nlh, type);
    nlattr* ip = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
    mnl_attr_put_u32(nlh, CTA_IP_V4_SRC, t.src);
    mnl_attr_put_u32(nlh, CTA_IP_V4_DST, t.dst);
    mnl_attr_nest_end(nlh, ip);
    nlattr* proto = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
    mnl_attr_put_u8(nlh, CTA_PROTO_NUM, t.proto);
    mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, t.sport);
    mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, t.dport);
    mnl_attr_nest_end(nlh, proto);
    mnl_attr_nest_end(nlh, tuple);
}

nlmsghdr* put_header(char* buf, uint16_t msg, uint16_t flags, uint32_t seq)
{
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | msg;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = seq;
    auto* nfg = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nfgenmsg)));
    nfg->nfgen_family = AF_INET;
    nfg->version = NFNETLINK_V0;
    nfg->res_id = 0;
    return nlh;
}

struct Socket {
    mnl_socket* nl = nullptr;
    ~Socket()
    {
        if (nl)
            mnl_socket_close(nl);
    }
};

/// Sends `nlh` and runs `cb` on every reply until the ACK or NLMSG_DONE.
Result<void> exchange(mnl_socket* nl, nlmsghdr* nlh, mnl_cb_t cb, void* data, const char* what)
{
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
        return Error::from_errno(std::string("netlink ") + what, errno);
    std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE * 4);
    unsigned portid = mnl_socket_get_portid(nl);
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error::from_errno(std::string("netlink ") + what, errno);
        }
        int ret = mnl_cb_run(buf.data(), static_cast<size_t>(n), nlh->nlmsg_seq, portid, cb, data);
        if (ret < 0)
            return Error::from_errno(std::string("netlink ") + what, errno);
        if (ret == MNL_CB_STOP)
            return ok();
    }
}

} // namespace

Result<int> forget_udp_dnat_flows(const std::string& to_address, const std::set<uint16_t>& host_ports)
{
    in_addr target{};
    if (inet_pton(AF_INET, to_address.c_str(), &target) != 1)
        return Error(Errc::Invalid, "conntrack: not an IPv4 address: " + to_address);
    if (host_ports.empty())
        return 0;
    Socket s;
    s.nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
    if (!s.nl)
        return Error::from_errno("socket(2) NETLINK_NETFILTER", errno);
    if (mnl_socket_bind(s.nl, 0, MNL_SOCKET_AUTOPID) < 0)
        return Error::from_errno("bind(2) NETLINK_NETFILTER", errno);

    struct Dump {
        uint32_t target;
        const std::set<uint16_t>* ports;
        std::vector<Tuple> matches;
    } dump{target.s_addr, &host_ports, {}};
    std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* nlh = put_header(buf.data(), IPCTNL_MSG_CT_GET, NLM_F_DUMP, 1);
    auto on_entry = [](const nlmsghdr* msg, void* data) -> int {
        auto* d = static_cast<Dump*>(data);
        Attrs top;
        (void)mnl_attr_parse(msg, sizeof(nfgenmsg), collect, &top);
        if (!top[CTA_TUPLE_ORIG] || !top[CTA_TUPLE_REPLY])
            return MNL_CB_OK;
        Flow f{parse_tuple(top[CTA_TUPLE_ORIG]), parse_tuple(top[CTA_TUPLE_REPLY])};
        if (f.orig.proto == IPPROTO_UDP && f.reply.src == d->target && d->ports->count(ntohs(f.orig.dport)))
            d->matches.push_back(f.orig);
        return MNL_CB_OK;
    };
    TRY(exchange(s.nl, nlh, on_entry, &dump, "IPCTNL_MSG_CT_GET dump"));

    int deleted = 0;
    uint32_t seq = 1;
    for (const auto& t : dump.matches) {
        nlh = put_header(buf.data(), IPCTNL_MSG_CT_DELETE, NLM_F_ACK, ++seq);
        put_tuple(nlh, CTA_TUPLE_ORIG, t);
        auto r = exchange(s.nl, nlh, nullptr, nullptr, "IPCTNL_MSG_CT_DELETE");
        if (r)
            ++deleted;
        else if (r.error().code() != Errc::NotFound) // expired meanwhile
            return std::move(r).error();
    }
    return deleted;
}

} // namespace wharf::sys
