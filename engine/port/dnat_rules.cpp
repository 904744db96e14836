#include "engine/port/dnat_rules.h"

#include <arpa/inet.h>
#include <cstdio>

namespace wharf::engine {

namespace {

constexpr std::string_view kSuffixes[] = {"-out", "-pre", "-post"};

bool is_ipv4(const std::string& ip)
{
    in_addr a{};
    return inet_pton(AF_INET, ip.c_str(), &a) == 1;
}

bool is_loopback(const std::string& ip) { return ip.starts_with("127."); }

std::string table() { return "ip " + std::string(kDnatTable); }

/// "tcp dport 8080" / "ip daddr 127.0.0.1 udp dport 53" / "fib daddr type local tcp dport 80".
std::string match_published(const PublishedPort& p)
{
    std::string dst = p.host_ip == "0.0.0.0" || p.host_ip.empty() ? "fib daddr type local" : "ip daddr " + p.host_ip;
    return dst + " " + std::string(to_string(p.proto)) + " dport " + std::to_string(p.host_port);
}

std::string dnat_to(const DnatPlan& plan, const PublishedPort& p)
{
    return "dnat to " + plan.address + ":" + std::to_string(p.container_port);
}

/// The lines that delete a chain whether or not it exists: `add` is idempotent, `delete`
/// then always finds it (nftables 1.0.6 has no `destroy`), and deleting a chain deletes
/// its rules.
void append_delete_chain(std::string& out, const std::string& chain)
{
    out += "add chain " + table() + " " + chain + "\n";
    out += "delete chain " + table() + " " + chain + "\n";
}

} // namespace

std::string dnat_scope(std::string_view state_root)
{
    uint32_t h = 2166136261u;
    for (unsigned char c : state_root) {
        h ^= c;
        h *= 16777619u;
    }
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", h);
    return buf;
}

bool dnat_serves(const PublishedPort& port)
{
    return (port.proto == PortProto::Tcp || port.proto == PortProto::Udp) && port.host_port != 0 &&
           port.container_port != 0 && (port.host_ip.empty() || is_ipv4(port.host_ip));
}

std::string dnat_chain_prefix(std::string_view scope, std::string_view container_id)
{
    return "w" + std::string(scope) + "-" + std::string(container_id);
}

std::string dnat_install_script(const DnatPlan& plan)
{
    std::vector<const PublishedPort*> served;
    for (const auto& p : plan.ports)
        if (dnat_serves(p))
            served.push_back(&p);
    if (served.empty() || !is_ipv4(plan.address))
        return "";
    const std::string prefix = dnat_chain_prefix(plan.scope, plan.container_id);
    const std::string t = table();
    std::string out = "add table " + t + "\n";
    if (plan.replace)
        for (auto suffix : kSuffixes)
            append_delete_chain(out, prefix + std::string(suffix));

    bool loopback = false; // some listener takes loopback clients: masquerade and route_localnet
    out += "add chain " + t + " " + prefix + "-out { type nat hook output priority -100; policy accept; }\n";
    for (const auto* p : served) {
        out += "add rule " + t + " " + prefix + "-out " + match_published(*p) + " counter " + dnat_to(plan, *p) + "\n";
        loopback = loopback || p->host_ip.empty() || p->host_ip == "0.0.0.0" || is_loopback(p->host_ip);
    }
    if (plan.prerouting) {
        out += "add chain " + t + " " + prefix + "-pre { type nat hook prerouting priority -100; policy accept; }\n";
        for (const auto* p : served)
            if (!is_loopback(p->host_ip)) // 127/8 never arrives from outside
                out += "add rule " + t + " " + prefix + "-pre " + match_published(*p) + " counter " + dnat_to(plan, *p) +
                       "\n";
    }
    out += "add chain " + t + " " + prefix + "-post { type nat hook postrouting priority 100; policy accept; }\n";
    std::set<std::pair<PortProto, uint16_t>> targets; // one masquerade per container port
    for (const auto* p : served) {
        if (!targets.insert({p->proto, p->container_port}).second)
            continue;
        std::string to = "ip daddr " + plan.address + " " + std::string(to_string(p->proto)) + " dport " +
                         std::to_string(p->container_port);
        if (loopback)
            out += "add rule " + t + " " + prefix + "-post ct status dnat ip saddr 127.0.0.0/8 " + to +
                   " counter masquerade\n";
        if (plan.prerouting && !plan.subnet.empty())
            out += "add rule " + t + " " + prefix + "-post ct status dnat ip saddr " + plan.subnet + " " + to +
                   " counter masquerade\n";
    }
    if (loopback && plan.guard && !plan.bridge.empty()) {
        const std::string guard = "guard-" + plan.bridge;
        out += "add chain " + t + " " + guard + " { type filter hook prerouting priority raw; policy accept; }\n";
        out += "flush chain " + t + " " + guard + "\n";
        out += "add rule " + t + " " + guard + " iifname \"" + plan.bridge + "\" ip daddr 127.0.0.0/8 counter drop\n";
    }
    return out;
}

std::string dnat_remove_prefix_script(std::string_view prefix)
{
    std::string out = "add table " + table() + "\n";
    for (auto suffix : kSuffixes)
        append_delete_chain(out, std::string(prefix) + std::string(suffix));
    return out;
}

std::string dnat_remove_script(std::string_view scope, std::string_view container_id)
{
    return dnat_remove_prefix_script(dnat_chain_prefix(scope, container_id));
}

std::vector<std::string> dnat_conflicting_chains(std::string_view listing, const DnatPlan& plan)
{
    const std::string own = dnat_chain_prefix(plan.scope, plan.container_id);
    std::vector<std::string> out;
    std::string chain; // the -out chain being read, "" elsewhere
    size_t pos = 0;
    while (pos < listing.size()) {
        size_t end = listing.find('\n', pos);
        if (end == std::string_view::npos)
            end = listing.size();
        std::string_view line = listing.substr(pos, end - pos);
        pos = end + 1;
        size_t start = line.find_first_not_of(" \t");
        if (start == std::string_view::npos)
            continue;
        line = line.substr(start);
        if (line.starts_with("chain ")) {
            std::string_view name = line.substr(6);
            name = name.substr(0, name.find_first_of(" {"));
            chain = name.starts_with("w") && name.ends_with("-out") ? std::string(name.substr(0, name.size() - 4)) : "";
            continue;
        }
        if (chain.empty() || chain == own || line.find("dnat to") == std::string_view::npos)
            continue;
        if (!out.empty() && out.back() == chain)
            continue;
        for (const auto& p : plan.ports) {
            if (!dnat_serves(p))
                continue;
            std::string port = std::string(to_string(p.proto)) + " dport " + std::to_string(p.host_port) + " ";
            if (line.find(port) == std::string_view::npos)
                continue;
            bool mine_all = p.host_ip.empty() || p.host_ip == "0.0.0.0";
            bool theirs_all = line.starts_with("fib daddr type local ");
            if (mine_all || theirs_all || line.starts_with("ip daddr " + p.host_ip + " ")) {
                out.push_back(chain);
                break;
            }
        }
    }
    return out;
}

std::map<std::string, std::set<uint16_t>> parse_udp_forwards(std::string_view listing)
{
    std::map<std::string, std::set<uint16_t>> out;
    size_t pos = 0;
    while ((pos = listing.find("udp dport ", pos)) != std::string_view::npos) {
        pos += 10;
        size_t eol = listing.find('\n', pos);
        std::string_view line = listing.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        unsigned port = 0;
        size_t i = 0;
        while (i < line.size() && line[i] >= '0' && line[i] <= '9')
            port = port * 10 + static_cast<unsigned>(line[i++] - '0');
        size_t to = line.find("dnat to ");
        if (i == 0 || port > 65535 || to == std::string_view::npos)
            continue;
        std::string_view target = line.substr(to + 8);
        target = target.substr(0, target.find_first_of(": \n"));
        out[std::string(target)].insert(static_cast<uint16_t>(port));
    }
    return out;
}

std::string dnat_remove_guard_script(std::string_view bridge)
{
    std::string out = "add table " + table() + "\n";
    append_delete_chain(out, "guard-" + std::string(bridge));
    return out;
}

DnatListing parse_dnat_listing(std::string_view listing, std::string_view scope)
{
    DnatListing out;
    const std::string mine = "w" + std::string(scope) + "-";
    size_t pos = 0;
    while (pos < listing.size()) {
        size_t end = listing.find('\n', pos);
        if (end == std::string_view::npos)
            end = listing.size();
        std::string_view line = listing.substr(pos, end - pos);
        pos = end + 1;
        size_t start = line.find_first_not_of(" \t");
        if (start == std::string_view::npos || line.substr(start).rfind("chain ", 0) != 0)
            continue;
        std::string_view name = line.substr(start + 6);
        name = name.substr(0, name.find_first_of(" {"));
        if (name.starts_with("guard-")) {
            out.guarded_bridges.insert(std::string(name.substr(6)));
        } else if (name.starts_with(mine)) {
            std::string_view rest = name.substr(mine.size());
            for (auto suffix : kSuffixes)
                if (rest.ends_with(suffix)) {
                    out.container_ids.insert(std::string(rest.substr(0, rest.size() - suffix.size())));
                    break;
                }
        }
    }
    return out;
}

std::string dnat_sweep_script(const DnatListing& listing, std::string_view scope, const std::set<std::string>& live,
                              const std::set<std::string>& present_bridges)
{
    std::string out;
    for (const auto& id : listing.container_ids)
        if (!live.count(id))
            out += dnat_remove_script(scope, id);
    for (const auto& br : listing.guarded_bridges)
        if (!present_bridges.count(br))
            append_delete_chain(out, "guard-" + br);
    return out;
}

} // namespace wharf::engine
