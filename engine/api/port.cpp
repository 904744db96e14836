// Docker's `-p` grammar (go-connections nat.ParsePortSpec) and its CLI texts
// (cli/command/formatter DisplayablePorts, container/port.go), reimplemented on values.
#include "engine/api/port.h"

#include <algorithm>
#include <arpa/inet.h>
#include <map>

namespace wharf::engine {
namespace {

Error invalid(std::string message) { return Error(Errc::Invalid, std::move(message)); }

std::vector<std::string_view> split(std::string_view s, char sep)
{
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (;;) {
        size_t pos = s.find(sep, start);
        if (pos == std::string_view::npos) {
            parts.push_back(s.substr(start));
            return parts;
        }
        parts.push_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

bool parse_u16(std::string_view s, uint16_t& out)
{
    if (s.empty() || s.size() > 5)
        return false;
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v > 65535)
        return false;
    out = static_cast<uint16_t>(v);
    return true;
}

/// "80" or "80-90" (nat.ParsePortRange): a single port is a range of one.
bool parse_range(std::string_view s, uint16_t& first, uint16_t& last)
{
    size_t dash = s.find('-');
    if (dash == std::string_view::npos) {
        if (!parse_u16(s, first))
            return false;
        last = first;
        return true;
    }
    if (!parse_u16(s.substr(0, dash), first) || !parse_u16(s.substr(dash + 1), last))
        return false;
    return last >= first;
}

bool parse_proto(std::string_view s, PortProto& out)
{
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "tcp")
        out = PortProto::Tcp;
    else if (lower == "udp")
        out = PortProto::Udp;
    else if (lower == "sctp")
        out = PortProto::Sctp;
    else
        return false;
    return true;
}

/// nat.SplitProtoPort: "80/udp" -> ("udp", "80"); "80" and "80/" -> ("tcp", "80").
std::pair<std::string_view, std::string_view> split_proto_port(std::string_view raw)
{
    auto parts = split(raw, '/');
    if (raw.empty() || parts[0].empty())
        return {"", ""};
    if (parts.size() == 1 || parts[1].empty())
        return {"tcp", parts[0]};
    return {parts[1], parts[0]};
}

bool valid_ip(const std::string& ip)
{
    unsigned char buf[sizeof(in6_addr)];
    return inet_pton(AF_INET, ip.c_str(), buf) == 1 || inet_pton(AF_INET6, ip.c_str(), buf) == 1;
}

/// Go's sortorder.NaturalLess: digit runs compare by value, everything else bytewise.
bool natural_less(std::string_view a, std::string_view b)
{
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        bool da = std::isdigit(static_cast<unsigned char>(a[i])), db = std::isdigit(static_cast<unsigned char>(b[j]));
        if (da && db) {
            size_t ie = i, je = j;
            while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie])))
                ++ie;
            while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je])))
                ++je;
            auto na = a.substr(i, ie - i), nb = b.substr(j, je - j);
            while (na.size() > 1 && na[0] == '0')
                na.remove_prefix(1);
            while (nb.size() > 1 && nb[0] == '0')
                nb.remove_prefix(1);
            if (na.size() != nb.size())
                return na.size() < nb.size();
            if (na != nb)
                return na < nb;
            i = ie;
            j = je;
            continue;
        }
        if (a[i] != b[j])
            return a[i] < b[j];
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

} // namespace

std::string_view to_string(PortProto proto)
{
    switch (proto) {
    case PortProto::Tcp: return "tcp";
    case PortProto::Udp: return "udp";
    case PortProto::Sctp: return "sctp";
    }
    return "tcp";
}

Result<std::vector<PortBinding>> parse_publish(std::string_view raw)
{
    auto parts = split(raw, ':');
    size_t n = parts.size();
    std::string ip;
    std::string_view host_port;
    std::string_view container = parts[n - 1];
    if (n == 2) {
        host_port = parts[0];
    } else if (n >= 3) {
        host_port = parts[n - 2];
        for (size_t i = 0; i + 2 < n; ++i) {
            if (i)
                ip += ':';
            ip += parts[i];
        }
    }
    auto [proto_text, container_port] = split_proto_port(container);

    if (!ip.empty() && ip.front() == '[') {
        if (ip.back() != ']' || ip.size() < 2)
            return invalid("invalid IP address " + ip + ": missing ']' in address");
        ip = ip.substr(1, ip.size() - 2);
    }
    if (!ip.empty() && !valid_ip(ip))
        return invalid("invalid IP address: " + ip);
    if (container_port.empty())
        return invalid("no port specified: " + std::string(raw) + "<empty>");

    uint16_t first = 0, last = 0;
    if (!parse_range(container_port, first, last))
        return invalid("invalid containerPort: " + std::string(container_port));
    uint16_t host_first = 0, host_last = 0;
    if (!host_port.empty() && !parse_range(host_port, host_first, host_last))
        return invalid("invalid hostPort: " + std::string(host_port));
    if (!host_port.empty() && (last - first) != (host_last - host_first) && last != first)
        return invalid("invalid ranges specified for container and host Ports: " +
                       std::string(container_port) + " and " + std::string(host_port));
    PortProto proto;
    if (!parse_proto(proto_text, proto))
        return invalid("invalid proto: " + std::string(proto_text));

    std::vector<PortBinding> out;
    for (unsigned i = 0; i <= unsigned(last - first); ++i) {
        PortBinding b;
        b.host_ip = ip;
        b.container_port = static_cast<uint16_t>(first + i);
        b.proto = proto;
        if (!host_port.empty()) {
            if (first == last) { // one container port: the host range is a choice of one
                b.host_port_first = host_first;
                b.host_port_last = host_last;
            } else {
                b.host_port_first = b.host_port_last = static_cast<uint16_t>(host_first + i);
            }
        }
        out.push_back(std::move(b));
    }
    return out;
}

Result<std::vector<ContainerPort>> parse_container_ports(std::string_view spec)
{
    auto [proto_text, port_text] = split_proto_port(spec);
    if (port_text.empty())
        return invalid("no port specified: " + std::string(spec) + "<empty>");
    uint16_t first = 0, last = 0;
    if (!parse_range(port_text, first, last))
        return invalid("invalid port: " + std::string(port_text));
    PortProto proto;
    if (!parse_proto(proto_text, proto))
        return invalid("invalid proto: " + std::string(proto_text));
    std::vector<ContainerPort> out;
    for (unsigned p = first; p <= last; ++p)
        out.push_back({static_cast<uint16_t>(p), proto});
    return out;
}

std::string format_container_port(const ContainerPort& port)
{
    return std::to_string(port.port) + "/" + std::string(to_string(port.proto));
}

std::string join_host_port(std::string_view host, uint16_t port)
{
    if (host.find(':') != std::string_view::npos)
        return "[" + std::string(host) + "]:" + std::to_string(port);
    return std::string(host) + ":" + std::to_string(port);
}

std::string format_port_mapping(const PublishedPort& p)
{
    return join_host_port(p.host_ip, p.host_port) + "->" + std::to_string(p.container_port) + "/" +
           std::string(to_string(p.proto));
}

Result<PublishedPort> parse_port_mapping(std::string_view text)
{
    auto bad = [&] { return invalid("invalid port mapping: " + std::string(text)); };
    size_t arrow = text.find("->");
    if (arrow == std::string_view::npos)
        return bad();
    std::string_view host = text.substr(0, arrow);
    size_t colon = host.rfind(':');
    if (colon == std::string_view::npos)
        return bad();
    std::string ip(host.substr(0, colon));
    if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']')
        ip = ip.substr(1, ip.size() - 2);
    PublishedPort p;
    p.host_ip = ip;
    auto container = parse_container_ports(text.substr(arrow + 2));
    if (!parse_u16(host.substr(colon + 1), p.host_port) || !container || container->size() != 1 ||
        (!ip.empty() && !valid_ip(ip)))
        return bad();
    p.container_port = (*container)[0].port;
    p.proto = (*container)[0].proto;
    return p;
}

std::string format_ps_ports(const std::vector<PublishedPort>& published, const std::vector<ContainerPort>& exposed)
{
    // Docker's container.Port rows: published ones carry an IP, exposed-only ones do not.
    struct Row {
        std::string ip;
        uint16_t public_port = 0;
        uint16_t private_port = 0;
        std::string type;
    };
    std::vector<Row> rows;
    for (const auto& p : published)
        rows.push_back({p.host_ip, p.host_port, p.container_port, std::string(to_string(p.proto))});
    for (const auto& e : exposed) {
        bool covered = std::any_of(published.begin(), published.end(), [&](const PublishedPort& p) {
            return p.container_port == e.port && p.proto == e.proto;
        });
        if (!covered)
            rows.push_back({"", 0, e.port, std::string(to_string(e.proto))});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        if (a.private_port != b.private_port)
            return a.private_port < b.private_port;
        if (a.ip != b.ip)
            return a.ip < b.ip;
        if (a.public_port != b.public_port)
            return a.public_port < b.public_port;
        return a.type < b.type;
    });

    struct Group {
        std::string ip, type;
        uint16_t first, last;
    };
    auto form = [](const Group& g) {
        std::string range = std::to_string(g.first);
        if (g.first != g.last)
            range += "-" + std::to_string(g.last);
        if (!g.ip.empty()) {
            std::string host = g.ip.find(':') != std::string::npos ? "[" + g.ip + "]" : g.ip;
            range = host + ":" + range + "->" + range;
        }
        return range + "/" + g.type;
    };
    std::vector<std::string> result, host_mappings, keys;
    std::map<std::string, Group> groups;
    for (const auto& r : rows) {
        std::string key = r.type;
        if (!r.ip.empty()) {
            if (r.public_port != r.private_port) {
                host_mappings.push_back(join_host_port(r.ip, r.public_port) + "->" +
                                        std::to_string(r.private_port) + "/" + r.type);
                continue;
            }
            key = r.ip + "/" + r.type;
        }
        auto it = groups.find(key);
        if (it == groups.end()) {
            groups.emplace(key, Group{r.ip, r.type, r.private_port, r.private_port});
            keys.push_back(key);
            continue;
        }
        if (r.private_port == it->second.last + 1) {
            it->second.last = r.private_port;
            continue;
        }
        result.push_back(form(it->second));
        it->second.first = it->second.last = r.private_port;
    }
    for (const auto& k : keys)
        result.push_back(form(groups.at(k)));
    result.insert(result.end(), host_mappings.begin(), host_mappings.end());
    std::string out;
    for (size_t i = 0; i < result.size(); ++i)
        out += (i ? ", " : "") + result[i];
    return out;
}

std::string format_port_lines(const std::vector<PublishedPort>& published)
{
    std::vector<std::string> lines;
    for (const auto& p : published)
        lines.push_back(format_container_port({p.container_port, p.proto}) + " -> " +
                        join_host_port(p.host_ip, p.host_port));
    std::sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) { return natural_less(a, b); });
    std::string out;
    for (const auto& l : lines)
        out += l + '\n';
    return out;
}

} // namespace wharf::engine
