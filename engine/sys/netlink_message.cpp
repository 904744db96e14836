#include "engine/sys/netlink_message.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <sys/socket.h>

namespace wharf::sys {

namespace {

// The kernel makes a dump's datagrams as big as the largest buffer its reader has offered,
// up to 32 KiB, so with this one a datagram is never truncated; a single message bigger than
// that still is, and is reported (EMSGSIZE) rather than read in part.
constexpr size_t kReceiveBufferSize = 32 * 1024;

} // namespace

NetlinkMessage::NetlinkMessage(uint16_t type, uint16_t flags)
{
    nlmsghdr header{};
    header.nlmsg_type = type;
    header.nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | flags);
    append(&header, sizeof header);
}

void NetlinkMessage::append(const void* data, size_t size)
{
    size_t at = m_bytes.size();
    m_bytes.resize(NLMSG_ALIGN(at + size)); // the padding is zeroes
    if (size > 0)
        std::memcpy(m_bytes.data() + at, data, size);
    header().nlmsg_len = static_cast<uint32_t>(m_bytes.size());
}

void NetlinkMessage::put(uint16_t type, std::span<const unsigned char> payload)
{
    // nla_len counts the header and the payload, not the padding that follows.
    nlattr attr{static_cast<uint16_t>(NLA_HDRLEN + payload.size()), type};
    append(&attr, sizeof attr);
    append(payload.data(), payload.size());
}

void NetlinkMessage::put_string(uint16_t type, const std::string& value)
{
    put(type, std::span(reinterpret_cast<const unsigned char*>(value.c_str()), value.size() + 1));
}

size_t NetlinkMessage::begin_nest(uint16_t type)
{
    size_t token = m_bytes.size();
    nlattr attr{NLA_HDRLEN, static_cast<uint16_t>(type | NLA_F_NESTED)};
    append(&attr, sizeof attr);
    return token;
}

void NetlinkMessage::end_nest(size_t token)
{
    // A nest's length covers its header and every attribute put since, padding included.
    auto len = static_cast<uint16_t>(m_bytes.size() - token);
    std::memcpy(m_bytes.data() + token + offsetof(nlattr, nla_len), &len, sizeof len);
}

std::string NetlinkAttr::str() const
{
    auto* chars = reinterpret_cast<const char*>(payload.data());
    return std::string(chars, strnlen(chars, payload.size()));
}

std::optional<NetlinkAttr> take_attribute(std::span<const unsigned char>& rest)
{
    nlattr attr;
    if (rest.size() < sizeof attr)
        return std::nullopt;
    std::memcpy(&attr, rest.data(), sizeof attr);
    if (attr.nla_len < NLA_HDRLEN || attr.nla_len > rest.size())
        return std::nullopt;
    NetlinkAttr out{static_cast<uint16_t>(attr.nla_type & NLA_TYPE_MASK),
                    rest.subspan(NLA_HDRLEN, attr.nla_len - NLA_HDRLEN)};
    rest = rest.subspan(std::min<size_t>(NLA_ALIGN(attr.nla_len), rest.size()));
    return out;
}

Result<Answer> read_answer(std::span<const unsigned char> datagram, uint32_t seq, uint32_t portid,
                           const std::string& what, const OnReply& on_reply)
{
    auto failure = [&](int err) { return Error::from_errno("netlink " + what, err); };
    while (!datagram.empty()) {
        nlmsghdr header;
        if (datagram.size() < sizeof header)
            return failure(EBADMSG);
        std::memcpy(&header, datagram.data(), sizeof header);
        if (header.nlmsg_len < sizeof header || header.nlmsg_len > datagram.size())
            return failure(EBADMSG);
        auto payload = datagram.subspan(NLMSG_HDRLEN, header.nlmsg_len - NLMSG_HDRLEN);
        NetlinkReply reply{header.nlmsg_type, payload};
        datagram = datagram.subspan(std::min<size_t>(NLMSG_ALIGN(header.nlmsg_len), datagram.size()));

        // 0 in either field means "not set", as in the kernel's own notifications.
        bool other_request = header.nlmsg_seq != 0 && header.nlmsg_seq != seq;
        bool other_port = header.nlmsg_pid != 0 && header.nlmsg_pid != portid;
        if (other_request || other_port)
            continue;
        if (header.nlmsg_flags & NLM_F_DUMP_INTR) // the table changed while it was dumped
            return failure(EINTR);
        if (header.nlmsg_type >= NLMSG_MIN_TYPE) {
            if (on_reply)
                on_reply(reply);
            continue;
        }
        if (header.nlmsg_type == NLMSG_ERROR) {
            // struct nlmsgerr: the error (0 for an ACK, else a negative errno), then the request's header.
            auto error = reply.header<int>();
            if (!error)
                return failure(EBADMSG);
            if (*error != 0)
                return failure(-*error);
            return Answer::Complete;
        }
        if (header.nlmsg_type == NLMSG_DONE) {
            // A dump that failed halfway says why here, as a negative errno (iproute2 reports it too).
            if (auto error = reply.header<int>(); error && *error < 0)
                return failure(-*error);
            return Answer::Complete;
        }
        // NLMSG_NOOP, NLMSG_OVERRUN: nothing to do.
    }
    return Answer::Partial;
}

Result<NetlinkSocket> NetlinkSocket::open(int protocol, const char* name)
{
    UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol));
    if (!fd)
        return Error::from_errno(std::string("socket(2) ") + name, errno);
    sockaddr_nl address{};
    address.nl_family = AF_NETLINK; // nl_pid 0: the kernel assigns the port id
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        return Error::from_errno(std::string("bind(2) ") + name, errno);
    socklen_t len = sizeof address;
    if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &len) != 0)
        return Error::from_errno(std::string("getsockname(2) ") + name, errno);
    return NetlinkSocket(std::move(fd), address.nl_pid);
}

Result<void> NetlinkSocket::exchange(NetlinkMessage& request, const std::string& what,
                                     const OnReply& on_reply)
{
    auto failure = [&](int err) { return Error::from_errno("netlink " + what, err); };
    nlmsghdr& header = request.header();
    header.nlmsg_seq = ++m_seq;
    // A dump ends with NLMSG_DONE; anything else (a GET of one object too) with the ACK.
    if ((header.nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP) // NLM_F_EXCL shares a bit with NLM_F_DUMP
        header.nlmsg_flags |= NLM_F_ACK;

    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK; // nl_pid 0
    auto bytes = request.bytes();
    auto* to = reinterpret_cast<sockaddr*>(&kernel);
    while (sendto(m_fd.get(), bytes.data(), bytes.size(), 0, to, sizeof kernel) < 0)
        if (errno != EINTR)
            return failure(errno);

    std::vector<unsigned char> buffer(kReceiveBufferSize);
    for (;;) {
        sockaddr_nl from{};
        socklen_t from_len = sizeof from;
        // With MSG_TRUNC, recvfrom returns the datagram's whole length, so a cut shows.
        ssize_t n = recvfrom(m_fd.get(), buffer.data(), buffer.size(), MSG_TRUNC,
                             reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failure(errno);
        }
        if (static_cast<size_t>(n) > buffer.size())
            return failure(EMSGSIZE);
        if (from.nl_pid != 0) // not from the kernel: another process wrote to our port id
            continue;
        auto datagram = std::span<const unsigned char>(buffer).first(static_cast<size_t>(n));
        if (TRY(read_answer(datagram, m_seq, m_portid, what, on_reply)) == Answer::Complete)
            return ok();
    }
}

} // namespace wharf::sys
