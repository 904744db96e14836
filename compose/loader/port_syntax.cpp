#include "compose/loader/port_syntax.h"

#include <arpa/inet.h>

namespace wharf::compose::loader {

namespace {

struct Range {
    uint32_t first = 0, last = 0;
    uint32_t size() const { return last - first + 1; }
};

bool parse_num(const std::string& s, uint32_t& out)
{
    if (s.empty() || s.size() > 6)
        return false;
    uint32_t v = 0;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return false;
        v = v * 10 + static_cast<uint32_t>(c - '0');
    }
    out = v;
    return true;
}

bool parse_range(const std::string& s, Range& r)
{
    auto dash = s.find('-');
    if (dash == std::string::npos) {
        if (!parse_num(s, r.first))
            return false;
        r.last = r.first;
        return true;
    }
    return parse_num(s.substr(0, dash), r.first) && parse_num(s.substr(dash + 1), r.last) && r.first <= r.last;
}

} // namespace

Result<std::vector<PortConfig>> parse_port_spec(const std::string& spec)
{
    auto bad = [&](const std::string& why) { return Error(Errc::Invalid, "invalid port \"" + spec + "\": " + why); };
    std::string rest = spec;
    std::string proto = "tcp";
    if (auto slash = rest.rfind('/'); slash != std::string::npos) {
        proto = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
        if (proto != "tcp" && proto != "udp" && proto != "sctp")
            return bad("unknown protocol \"" + proto + "\"");
    }
    std::string ip, host, container;
    if (!rest.empty() && rest[0] == '[') {
        auto close = rest.find(']');
        if (close == std::string::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
            return bad("unterminated IPv6 address");
        ip = rest.substr(1, close - 1);
        std::string tail = rest.substr(close + 2);
        auto colon = tail.find(':');
        if (colon == std::string::npos)
            return bad("expected [ip]:host:container");
        host = tail.substr(0, colon);
        container = tail.substr(colon + 1);
    } else {
        std::vector<std::string> parts;
        size_t start = 0;
        for (size_t i = 0; i <= rest.size(); ++i)
            if (i == rest.size() || rest[i] == ':') {
                parts.push_back(rest.substr(start, i - start));
                start = i + 1;
            }
        if (parts.size() == 1) {
            container = parts[0];
        } else if (parts.size() == 2) {
            host = parts[0];
            container = parts[1];
        } else {
            container = parts.back();
            host = parts[parts.size() - 2];
            for (size_t i = 0; i + 2 < parts.size(); ++i)
                ip += (i ? ":" : "") + parts[i];
        }
    }
    if (!ip.empty()) {
        // As go-connections: an IPv6 address needs its brackets, so "::1:80:80" is refused.
        unsigned char buf[16];
        if (inet_pton(AF_INET, ip.c_str(), buf) != 1 && inet_pton(AF_INET6, ip.c_str(), buf) != 1)
            return bad("invalid IP address \"" + ip + "\"");
        if (ip.find(':') != std::string::npos && rest[0] != '[')
            return bad("invalid IP address \"" + ip + "\": an IPv6 address needs brackets, as in [::1]:80:80");
    }
    Range c;
    if (!parse_range(container, c))
        return bad("container port must be a number or a range");
    if (c.first == 0 || c.last > 65535)
        return bad("port is out of range (1-65535)");
    Range h;
    bool has_host = !host.empty();
    if (has_host) {
        if (!parse_range(host, h))
            return bad("host port must be a number or a range");
        if (h.last > 65535)
            return bad("port is out of range (1-65535)");
    }
    std::vector<PortConfig> out;
    if (has_host && h.size() != c.size() && c.size() != 1)
        return bad("host and container port ranges differ in size");
    for (uint32_t i = 0; i < c.size(); ++i) {
        PortConfig p;
        p.mode = "ingress";
        p.host_ip = ip;
        p.target = c.first + i;
        p.protocol = proto;
        if (has_host) {
            if (c.size() == 1 && h.size() > 1)
                p.published = std::to_string(h.first) + "-" + std::to_string(h.last);
            else
                p.published = std::to_string(h.first + i);
        }
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace wharf::compose::loader
