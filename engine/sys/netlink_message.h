#pragma once
/// Netlink messages over plain sockets: just enough of netlink(7) for wharf's rtnetlink
/// (netlink.cpp) and ctnetlink (conntrack.cpp) clients, written here rather than linked so
/// that the per-container monitor can be a static executable (Debian ships libmnl shared only).
///
///   NetlinkMessage  builds one request: nlmsghdr, the family header, attributes and nests.
///   NetlinkAttrs    the attributes of a reply or of a nest, by type.
///   read_answer     the pure half of an exchange: one received datagram, checked against
///                   the request it should answer.
///   NetlinkSocket   a bound socket that sends a request and reads its whole answer.
///
/// Numbers are put and read in host byte order, as the kernel expects them; attributes the
/// kernel keeps in network order (ctnetlink's addresses and ports) are passed as values
/// already in network order. Not thread-safe: one socket, one thread.

#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <linux/netlink.h>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wharf::sys {

/// One request under construction. Every piece is padded to 4 bytes (NLMSG_ALIGN for the
/// family header, NLA_ALIGN for attributes: both align to 4) and nlmsg_len always covers
/// everything put so far, padding included.
class NetlinkMessage {
public:
    /// A message of `type` (RTM_NEWLINK…) with flags NLM_F_REQUEST | `flags`.
    NetlinkMessage(uint16_t type, uint16_t flags);

    /// Appends a fixed header (ifinfomsg, rtmsg, nfgenmsg…): after the nlmsghdr, or inside a
    /// nest that starts with one (VETH_INFO_PEER).
    template <typename T>
    void put_header(const T& header)
    {
        append(&header, sizeof header);
    }
    void put(uint16_t type, std::span<const unsigned char> payload);
    void put_u8(uint16_t type, uint8_t value) { put(type, as_bytes(value)); }
    void put_u16(uint16_t type, uint16_t value) { put(type, as_bytes(value)); }
    void put_u32(uint16_t type, uint32_t value) { put(type, as_bytes(value)); }
    /// The string and its terminating NUL.
    void put_string(uint16_t type, const std::string& value);

    /// Opens a nested attribute (marked NLA_F_NESTED); what is put until `end_nest(token)`
    /// is its payload. Nests close innermost first.
    size_t begin_nest(uint16_t type);
    void end_nest(size_t token);

    /// The header, for the socket to number the request; valid until the next put.
    nlmsghdr& header() { return *reinterpret_cast<nlmsghdr*>(m_bytes.data()); }
    std::span<const unsigned char> bytes() const { return m_bytes; }

private:
    template <typename T>
    static std::span<const unsigned char> as_bytes(const T& value)
    {
        return {reinterpret_cast<const unsigned char*>(&value), sizeof value};
    }
    void append(const void* data, size_t size);

    std::vector<unsigned char> m_bytes;
};

/// One attribute of a reply: its type (without the NLA_F_NESTED and NLA_F_NET_BYTEORDER
/// bits) and its payload, which points into the received buffer.
struct NetlinkAttr {
    uint16_t type = 0;
    std::span<const unsigned char> payload;

    /// The payload as a T, in host byte order; 0 when the payload is too short for one.
    template <typename T>
    T number() const
    {
        T value{};
        if (payload.size() >= sizeof value)
            std::memcpy(&value, payload.data(), sizeof value);
        return value;
    }
    uint8_t u8() const { return number<uint8_t>(); }
    uint16_t u16() const { return number<uint16_t>(); }
    uint32_t u32() const { return number<uint32_t>(); }
    /// The payload up to its NUL (or its end, if the kernel sent none).
    std::string str() const;
};

/// Splits the first attribute off `rest`. Nothing (and `rest` left as it is) when `rest` is
/// used up or what is there is not a whole attribute: shorter than its own header, or longer
/// than what remains. A walk stops there and never reads past the end.
std::optional<NetlinkAttr> take_attribute(std::span<const unsigned char>& rest);

/// The attributes in `bytes` (a message's, after its fixed header, or a nest's payload) by
/// type, for types up to `Max`; higher ones (from a kernel newer than our headers) are passed over.
/// The last one wins if a type repeats.
template <size_t Max>
class NetlinkAttrs {
public:
    explicit NetlinkAttrs(std::span<const unsigned char> bytes)
    {
        while (auto attr = take_attribute(bytes))
            if (attr->type <= Max)
                m_by_type[attr->type] = *attr;
    }
    /// Null when there is no attribute of `type`.
    const NetlinkAttr* operator[](size_t type) const
    {
        return type <= Max && m_by_type[type] ? &*m_by_type[type] : nullptr;
    }

private:
    std::array<std::optional<NetlinkAttr>, Max + 1> m_by_type{};
};

/// One message of an answer: its type (RTM_NEWLINK…) and its payload.
struct NetlinkReply {
    uint16_t type = 0;
    std::span<const unsigned char> payload;

    /// A copy of the fixed header the payload starts with; nothing when the payload is shorter.
    template <typename T>
    std::optional<T> header() const
    {
        if (payload.size() < sizeof(T))
            return std::nullopt;
        T out;
        std::memcpy(&out, payload.data(), sizeof out);
        return out;
    }
    /// The attributes after a fixed header of type T.
    template <typename T>
    std::span<const unsigned char> attributes() const
    {
        return payload.size() < NLMSG_ALIGN(sizeof(T)) ? std::span<const unsigned char>()
                                                        : payload.subspan(NLMSG_ALIGN(sizeof(T)));
    }
};

using OnReply = std::function<void(const NetlinkReply&)>;

enum class Answer { Partial, Complete };

/// Reads one datagram received for request `seq` of port `portid`: runs `on_reply` on each
/// data message and says whether the answer is complete — after the ACK (an NLMSG_ERROR
/// carrying 0) or a dump's NLMSG_DONE — or continues in the next datagram.
/// Messages of another seq or port id are passed over: they are the rest of an earlier request
/// whose answer was abandoned on an error, and the kernel still answers this one.
/// Failures are "netlink <what>: <errno text>", with sys_errno() set: the kernel's error
/// (NLMSG_ERROR, or a negative NLMSG_DONE), EINTR when a dump was interrupted by a change to
/// what it dumped (NLM_F_DUMP_INTR), EBADMSG for a message cut short.
Result<Answer> read_answer(std::span<const unsigned char> datagram, uint32_t seq, uint32_t portid,
                           const std::string& what, const OnReply& on_reply);

class NetlinkSocket {
public:
    /// A socket of `protocol` (NETLINK_ROUTE…, named `name` in errors) in the calling
    /// thread's network namespace, bound to a port id the kernel picks.
    static Result<NetlinkSocket> open(int protocol, const char* name);

    /// Sends `request`, numbered with the socket's next seq and, unless it is a dump, asking
    /// for an ACK; then reads datagrams until its answer is complete (see read_answer).
    /// `what` names the request in errors: `netlink RTM_NEWLINK bridge "br0": File exists`.
    Result<void> exchange(NetlinkMessage& request, const std::string& what, const OnReply& on_reply = {});

private:
    NetlinkSocket(UniqueFd fd, uint32_t portid) : m_fd(std::move(fd)), m_portid(portid) {}

    UniqueFd m_fd;
    uint32_t m_portid = 0;
    uint32_t m_seq = 0;
};

} // namespace wharf::sys
