#include "engine/dns/dns_message.h"

#include <algorithm>
#include <arpa/inet.h>

namespace wharf::engine::dns {
namespace {

uint16_t get16(const std::vector<uint8_t>& m, size_t at) { return static_cast<uint16_t>(m[at] << 8 | m[at + 1]); }

void put16(std::vector<uint8_t>& m, uint16_t v)
{
    m.push_back(static_cast<uint8_t>(v >> 8));
    m.push_back(static_cast<uint8_t>(v));
}

void put32(std::vector<uint8_t>& m, uint32_t v)
{
    put16(m, static_cast<uint16_t>(v >> 16));
    put16(m, static_cast<uint16_t>(v));
}

/// Reads a (possibly compressed) name at `pos`; returns the offset past it in the message.
Result<size_t> read_name(const std::vector<uint8_t>& m, size_t pos, std::string& out)
{
    size_t end = 0;
    int jumps = 0;
    for (;;) {
        if (pos >= m.size())
            return Error(Errc::Invalid, "dns: truncated name");
        uint8_t len = m[pos];
        if ((len & 0xC0) == 0xC0) {
            if (pos + 1 >= m.size() || ++jumps > 16)
                return Error(Errc::Invalid, "dns: bad compression pointer");
            if (!end)
                end = pos + 2;
            pos = static_cast<size_t>((len & 0x3F) << 8 | m[pos + 1]);
            continue;
        }
        if (len == 0)
            return end ? end : pos + 1;
        if (len > 63 || pos + 1 + len > m.size())
            return Error(Errc::Invalid, "dns: bad label");
        if (!out.empty())
            out += '.';
        for (size_t i = 0; i < len; ++i)
            out += static_cast<char>(std::tolower(m[pos + 1 + i]));
        pos += 1 + len;
    }
}

} // namespace

std::vector<uint8_t> encode_name(const std::string& name)
{
    std::vector<uint8_t> out;
    size_t start = 0;
    while (start < name.size()) {
        size_t dot = name.find('.', start);
        if (dot == std::string::npos)
            dot = name.size();
        size_t len = std::min<size_t>(dot - start, 63);
        out.push_back(static_cast<uint8_t>(len));
        out.insert(out.end(), name.begin() + static_cast<long>(start), name.begin() + static_cast<long>(start + len));
        start = dot + 1;
    }
    out.push_back(0);
    return out;
}

Result<Query> parse_query(const std::vector<uint8_t>& m)
{
    if (m.size() < 12)
        return Error(Errc::Invalid, "dns: message shorter than its header");
    Query q;
    q.id = get16(m, 0);
    q.flags = get16(m, 2);
    if (q.flags & 0x8000)
        return Error(Errc::Invalid, "dns: not a query");
    if (get16(m, 4) < 1)
        return Error(Errc::Invalid, "dns: no question");
    size_t pos = TRY(read_name(m, 12, q.name));
    if (pos + 4 > m.size())
        return Error(Errc::Invalid, "dns: truncated question");
    q.type = get16(m, pos);
    q.klass = get16(m, pos + 2);
    q.question_end = pos + 4;
    return q;
}

std::vector<uint8_t> build_response(const std::vector<uint8_t>& message, const Query& query,
                                    const std::vector<Record>& answers, uint8_t rcode)
{
    std::vector<uint8_t> out;
    put16(out, query.id);
    uint16_t opcode = query.flags & 0x7800;
    uint16_t rd = query.flags & 0x0100;
    put16(out, static_cast<uint16_t>(0x8000 | opcode | 0x0400 /*AA*/ | rd | 0x0080 /*RA*/ | (rcode & 0xF)));
    put16(out, 1);
    put16(out, static_cast<uint16_t>(answers.size()));
    put16(out, 0);
    put16(out, 0);
    out.insert(out.end(), message.begin() + 12, message.begin() + static_cast<long>(query.question_end));
    for (const auto& a : answers) {
        put16(out, 0xC00C); // the question's name
        put16(out, a.type);
        put16(out, ClassIn);
        put32(out, a.ttl);
        put16(out, static_cast<uint16_t>(a.data.size()));
        out.insert(out.end(), a.data.begin(), a.data.end());
    }
    return out;
}

std::vector<uint8_t> build_query(uint16_t id, const std::string& name, uint16_t type)
{
    std::vector<uint8_t> out;
    put16(out, id);
    put16(out, 0x0100);
    put16(out, 1);
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    auto n = encode_name(name);
    out.insert(out.end(), n.begin(), n.end());
    put16(out, type);
    put16(out, ClassIn);
    return out;
}

Result<std::vector<Record>> parse_response(const std::vector<uint8_t>& m, uint8_t& rcode)
{
    if (m.size() < 12 || !(get16(m, 2) & 0x8000))
        return Error(Errc::Invalid, "dns: not a response");
    rcode = m[3] & 0xF;
    uint16_t qd = get16(m, 4), an = get16(m, 6);
    size_t pos = 12;
    for (uint16_t i = 0; i < qd; ++i) {
        std::string ignored;
        pos = TRY(read_name(m, pos, ignored)) + 4;
    }
    std::vector<Record> out;
    for (uint16_t i = 0; i < an; ++i) {
        std::string ignored;
        pos = TRY(read_name(m, pos, ignored));
        if (pos + 10 > m.size())
            return Error(Errc::Invalid, "dns: truncated answer");
        Record r;
        r.type = get16(m, pos);
        r.ttl = static_cast<uint32_t>(get16(m, pos + 4)) << 16 | get16(m, pos + 6);
        uint16_t len = get16(m, pos + 8);
        pos += 10;
        if (pos + len > m.size())
            return Error(Errc::Invalid, "dns: truncated answer");
        r.data.assign(m.begin() + static_cast<long>(pos), m.begin() + static_cast<long>(pos + len));
        pos += len;
        out.push_back(std::move(r));
    }
    return out;
}

std::string reverse_ipv4(const std::string& name)
{
    const std::string suffix = ".in-addr.arpa";
    if (!name.ends_with(suffix))
        return {};
    std::string head = name.substr(0, name.size() - suffix.size());
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        size_t dot = head.find('.', start);
        parts.push_back(head.substr(start, dot - start));
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    if (parts.size() != 4)
        return {};
    std::string ip = parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0];
    in_addr a{};
    return inet_pton(AF_INET, ip.c_str(), &a) == 1 ? ip : std::string();
}

} // namespace wharf::engine::dns
