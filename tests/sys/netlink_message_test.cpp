// Netlink messages as bytes: what the builder writes (lengths, padding, nests), what the
// attribute walk reads back or refuses, and how one received datagram answers a request.
#include "engine/sys/netlink_message.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <doctest/doctest.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

using namespace wharf;
using sys::Answer;
using sys::NetlinkAttr;
using sys::NetlinkAttrs;
using sys::NetlinkMessage;
using sys::NetlinkReply;

namespace {

using Bytes = std::vector<unsigned char>;

Bytes bytes_of(const NetlinkMessage& m) { return Bytes(m.bytes().begin(), m.bytes().end()); }

/// A message as the kernel would send it: `payload` after a header numbered `seq` for `portid`.
Bytes kernel_message(uint16_t type, uint32_t seq, uint32_t portid, const Bytes& payload = {},
                     uint16_t flags = 0)
{
    nlmsghdr h{static_cast<uint32_t>(NLMSG_HDRLEN + payload.size()), type, flags, seq, portid};
    Bytes out(NLMSG_ALIGN(h.nlmsg_len));
    std::memcpy(out.data(), &h, sizeof h);
    std::copy(payload.begin(), payload.end(), out.begin() + NLMSG_HDRLEN);
    return out;
}

Bytes error_payload(int error)
{
    nlmsgerr e{};
    e.error = error;
    Bytes out(sizeof e);
    std::memcpy(out.data(), &e, sizeof e);
    return out;
}

Bytes operator+(Bytes a, const Bytes& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

NetlinkMessage veth_request()
{
    NetlinkMessage m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    m.put_header(ifinfomsg{});
    m.put_string(IFLA_IFNAME, "ab");
    size_t info = m.begin_nest(IFLA_LINKINFO);
    m.put_string(IFLA_INFO_KIND, "veth");
    size_t data = m.begin_nest(IFLA_INFO_DATA);
    size_t peer = m.begin_nest(VETH_INFO_PEER);
    m.put_header(ifinfomsg{});
    m.put_string(IFLA_IFNAME, "c");
    m.put_u32(IFLA_NET_NS_FD, 7);
    m.end_nest(peer);
    m.end_nest(data);
    m.end_nest(info);
    m.put_u8(IFLA_OPERSTATE, 6); // after the nests: the walk must find its way back out
    return m;
}

} // namespace

TEST_SUITE("sys.netlink_message") {

TEST_CASE("NetlinkMessage_NestedAttributesExactBytes")
{
    if constexpr (std::endian::native != std::endian::little)
        return; // the bytes below are written little-endian
    // clang-format off
    const Bytes expected = {
        // nlmsghdr: length, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_EXCL | NLM_F_CREATE, seq, port id
        104, 0, 0, 0,  16, 0,  0x01, 0x06,  0, 0, 0, 0,  0, 0, 0, 0,
        0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,           // ifinfomsg
        7, 0, 3, 0,  'a', 'b', 0, 0,                                 // IFLA_IFNAME "ab\0" + 1 byte padding
        56, 0, 18, 0x80,                                             // IFLA_LINKINFO | NLA_F_NESTED
        9, 0, 1, 0,  'v', 'e', 't', 'h',  0, 0, 0, 0,                // IFLA_INFO_KIND "veth\0" + 3 padding
        40, 0, 2, 0x80,                                              // IFLA_INFO_DATA | NLA_F_NESTED
        36, 0, 1, 0x80,                                              // VETH_INFO_PEER | NLA_F_NESTED
        0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,           // the peer's ifinfomsg
        6, 0, 3, 0,  'c', 0, 0, 0,                                   // IFLA_IFNAME "c\0" + 2 bytes padding
        8, 0, 28, 0,  7, 0, 0, 0,                                    // IFLA_NET_NS_FD 7
        5, 0, 16, 0,  6, 0, 0, 0,                                    // IFLA_OPERSTATE 6 + 3 bytes padding
    };
    // clang-format on
    NetlinkMessage m = veth_request();
    CHECK(m.header().nlmsg_len == 104);
    CHECK(bytes_of(m) == expected);
}

TEST_CASE("NetlinkMessage_EveryPieceAligned")
{
    NetlinkMessage m(RTM_NEWADDR, 0);
    CHECK(m.header().nlmsg_len == NLMSG_HDRLEN);
    m.put_header(ifaddrmsg{}); // 8 bytes
    CHECK(m.header().nlmsg_len == 24);
    m.put_u16(IFA_FLAGS, 1); // 4 + 2 bytes, padded to 8
    CHECK(m.header().nlmsg_len == 32);
    m.put(IFA_LOCAL, Bytes{}); // a header alone
    CHECK(m.header().nlmsg_len == 36);
    size_t nest = m.begin_nest(IFA_CACHEINFO);
    m.end_nest(nest); // an empty nest is its header alone
    CHECK(m.header().nlmsg_len == 40);
    CHECK(m.bytes().size() == 40);
}

TEST_CASE("NetlinkAttrs_ParseBackNested")
{
    Bytes msg = bytes_of(veth_request());
    NetlinkReply reply{RTM_NEWLINK, std::span(msg).subspan(NLMSG_HDRLEN)};
    REQUIRE(reply.header<ifinfomsg>());
    NetlinkAttrs<IFLA_MAX> top(reply.attributes<ifinfomsg>());
    REQUIRE(top[IFLA_IFNAME]);
    CHECK(top[IFLA_IFNAME]->str() == "ab");
    REQUIRE(top[IFLA_OPERSTATE]);
    CHECK(top[IFLA_OPERSTATE]->u8() == 6);
    CHECK_FALSE(top[IFLA_MTU]);
    REQUIRE(top[IFLA_LINKINFO]);
    CHECK(top[IFLA_LINKINFO]->type == IFLA_LINKINFO); // NLA_F_NESTED is not part of the type

    NetlinkAttrs<IFLA_INFO_MAX> info(top[IFLA_LINKINFO]->payload);
    REQUIRE(info[IFLA_INFO_KIND]);
    CHECK(info[IFLA_INFO_KIND]->str() == "veth");
    REQUIRE(info[IFLA_INFO_DATA]);
    NetlinkAttrs<VETH_INFO_MAX> data(info[IFLA_INFO_DATA]->payload);
    REQUIRE(data[VETH_INFO_PEER]);
    NetlinkReply peer{RTM_NEWLINK, data[VETH_INFO_PEER]->payload}; // it starts with an ifinfomsg too
    NetlinkAttrs<IFLA_MAX> peer_attrs(peer.attributes<ifinfomsg>());
    REQUIRE(peer_attrs[IFLA_IFNAME]);
    CHECK(peer_attrs[IFLA_IFNAME]->str() == "c");
    REQUIRE(peer_attrs[IFLA_NET_NS_FD]);
    CHECK(peer_attrs[IFLA_NET_NS_FD]->u32() == 7);
}

TEST_CASE("NetlinkAttrs_TypesPastTheTableSkipped")
{
    NetlinkMessage m(RTM_NEWLINK, 0);
    m.put_u32(2, 20);
    m.put_u32(40, 400); // a type newer than the table
    m.put_u32(3, 30);
    NetlinkAttrs<3> attrs(m.bytes().subspan(NLMSG_HDRLEN));
    REQUIRE(attrs[2]);
    CHECK(attrs[2]->u32() == 20);
    REQUIRE(attrs[3]);
    CHECK(attrs[3]->u32() == 30);
    CHECK_FALSE(attrs[40]);
    CHECK_FALSE(attrs[1]);
}

TEST_CASE("NetlinkAttrs_WalkStopsAtATruncatedAttribute")
{
    NetlinkMessage m(RTM_NEWLINK, 0);
    m.put_u32(1, 10);
    m.put_string(2, "long enough");
    Bytes attrs(m.bytes().begin() + NLMSG_HDRLEN, m.bytes().end());

    SUBCASE("cut inside the second attribute's payload")
    {
        std::span<const unsigned char> rest = std::span(attrs).first(8 + 6);
        auto first = sys::take_attribute(rest);
        REQUIRE(first);
        CHECK(first->u32() == 10);
        CHECK(rest.size() == 6);
        CHECK_FALSE(sys::take_attribute(rest)); // claims 16 bytes, 6 remain
        CHECK(rest.size() == 6);
        NetlinkAttrs<2> table{std::span(attrs).first(8 + 6)};
        CHECK(table[1]);
        CHECK_FALSE(table[2]);
    }
    SUBCASE("cut inside the second attribute's header")
    {
        NetlinkAttrs<2> table{std::span(attrs).first(8 + 2)};
        CHECK(table[1]);
        CHECK_FALSE(table[2]);
    }
    SUBCASE("a length shorter than the header")
    {
        attrs[8] = 2;
        NetlinkAttrs<2> table(attrs);
        CHECK(table[1]);
        CHECK_FALSE(table[2]);
    }
}

TEST_CASE("NetlinkAttr_ShortPayloadsReadAsZeroAndStringsStopAtTheEnd")
{
    const unsigned char two[] = {1, 2};
    NetlinkAttr a{1, two};
    CHECK(a.u32() == 0);
    CHECK(a.u16() == (std::endian::native == std::endian::little ? 0x0201 : 0x0102));
    const unsigned char text[] = {'e', 't', 'h'}; // no NUL
    CHECK(NetlinkAttr{1, text}.str() == "eth");
}

TEST_CASE("ReadAnswer_ErrorCarriesTheKernelsErrno")
{
    Bytes datagram = kernel_message(NLMSG_ERROR, 5, 42, error_payload(-EEXIST));
    auto r = sys::read_answer(datagram, 5, 42, "RTM_NEWLINK veth \"a\" peer \"b\"", {});
    REQUIRE_FALSE(r);
    CHECK(r.error().sys_errno() == EEXIST);
    CHECK(r.error().code() == Errc::Conflict);
    CHECK(r.error().summary() == "netlink RTM_NEWLINK veth \"a\" peer \"b\": File exists");
}

TEST_CASE("ReadAnswer_AckCompletes")
{
    Bytes datagram = kernel_message(NLMSG_ERROR, 5, 42, error_payload(0));
    auto r = sys::read_answer(datagram, 5, 42, "RTM_NEWLINK up #3", {});
    REQUIRE(r);
    CHECK(*r == Answer::Complete);
}

TEST_CASE("ReadAnswer_DumpContinuesUntilDone")
{
    std::vector<uint16_t> seen;
    auto on_reply = [&](const NetlinkReply& reply) { seen.push_back(reply.type); };
    Bytes part1 = kernel_message(RTM_NEWLINK, 9, 42, Bytes(16), NLM_F_MULTI) +
                  kernel_message(RTM_NEWLINK, 9, 42, Bytes(20), NLM_F_MULTI);
    auto r = sys::read_answer(part1, 9, 42, "RTM_GETLINK dump", on_reply);
    REQUIRE(r);
    CHECK(*r == Answer::Partial);
    Bytes part2 = kernel_message(RTM_NEWLINK, 9, 42, Bytes(16), NLM_F_MULTI) +
                  kernel_message(NLMSG_DONE, 9, 42, Bytes(4), NLM_F_MULTI);
    r = sys::read_answer(part2, 9, 42, "RTM_GETLINK dump", on_reply);
    REQUIRE(r);
    CHECK(*r == Answer::Complete);
    CHECK(seen == std::vector<uint16_t>{RTM_NEWLINK, RTM_NEWLINK, RTM_NEWLINK});
}

TEST_CASE("ReadAnswer_DoneWithAnErrorFails")
{
    Bytes done = kernel_message(NLMSG_DONE, 9, 42, error_payload(-ENOBUFS), NLM_F_MULTI);
    auto r = sys::read_answer(done, 9, 42, "RTM_GETROUTE dump", {});
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "netlink RTM_GETROUTE dump: No buffer space available");
}

TEST_CASE("ReadAnswer_InterruptedDumpFails")
{
    Bytes datagram = kernel_message(RTM_NEWROUTE, 9, 42, Bytes(12), NLM_F_MULTI | NLM_F_DUMP_INTR);
    auto r = sys::read_answer(datagram, 9, 42, "RTM_GETROUTE dump", {});
    REQUIRE_FALSE(r);
    CHECK(r.error().sys_errno() == EINTR);
}

TEST_CASE("ReadAnswer_OtherRequestsMessagesSkipped")
{
    // The rest of an abandoned request (seq 4), and a message for another port id, come before
    // this request's ACK: neither is taken for its answer.
    int replies = 0;
    Bytes datagram = kernel_message(RTM_NEWLINK, 4, 42, Bytes(16), NLM_F_MULTI) +
                     kernel_message(NLMSG_ERROR, 4, 42, error_payload(-EEXIST)) +
                     kernel_message(NLMSG_ERROR, 5, 43, error_payload(-EPERM)) +
                     kernel_message(NLMSG_ERROR, 5, 42, error_payload(0));
    auto r = sys::read_answer(datagram, 5, 42, "RTM_NEWLINK up #3", [&](const NetlinkReply&) { ++replies; });
    REQUIRE(r);
    CHECK(*r == Answer::Complete);
    CHECK(replies == 0);

    r = sys::read_answer(kernel_message(NLMSG_DONE, 4, 42, Bytes(4)), 5, 42, "RTM_GETLINK dump", {});
    REQUIRE(r);
    CHECK(*r == Answer::Partial); // still waiting for seq 5
}

TEST_CASE("ReadAnswer_MessageCutShortIsBad")
{
    Bytes datagram = kernel_message(RTM_NEWLINK, 9, 42, Bytes(16), NLM_F_MULTI);
    datagram.resize(datagram.size() - 4);
    auto r = sys::read_answer(datagram, 9, 42, "RTM_GETLINK dump", {});
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "netlink RTM_GETLINK dump: Bad message");

    Bytes error = kernel_message(NLMSG_ERROR, 9, 42, Bytes(2)); // no room for the error number
    r = sys::read_answer(error, 9, 42, "RTM_GETLINK dump", {});
    REQUIRE_FALSE(r);
    CHECK(r.error().sys_errno() == EBADMSG);
}

} // TEST_SUITE
