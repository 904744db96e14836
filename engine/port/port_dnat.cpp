#include "engine/port/port_dnat.h"

#include "engine/port/dnat_rules.h"
#include "engine/port/nftables.h"
#include "engine/port/socket_redirect.h"
#include "engine/sys/conntrack.h"
#include "engine/sys/file.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace wharf::engine {

namespace {

/// The same root must give the same scope in the monitor and in a later CLI's repair,
/// whichever spelling of the path each was given.
std::string scope_of(std::string_view state_root)
{
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(std::filesystem::path(state_root), ec);
    return dnat_scope(ec ? std::string(state_root) : canonical.string());
}

bool ip_forwarding()
{
    auto v = sys::read_file("/proc/sys/net/ipv4/ip_forward");
    return v && !v->empty() && (*v)[0] == '1';
}

bool serves_loopback(const std::vector<PublishedPort>& ports)
{
    for (const auto& p : ports)
        if (dnat_serves(p) && (p.host_ip.empty() || p.host_ip == "0.0.0.0" || p.host_ip.starts_with("127.")))
            return true;
    return false;
}

/// Loopback clients' packets leave through the bridge with source 127.0.0.1 until the
/// postrouting masquerade rewrites it; the routing decision before that refuses a loopback
/// source on a non-loopback device unless route_localnet is set there (as Docker sets it).
Result<void> enable_route_localnet(const std::string& bridge)
{
    std::string path = "/proc/sys/net/ipv4/conf/" + bridge + "/route_localnet";
    if (auto cur = sys::read_file(path); cur && !cur->empty() && (*cur)[0] == '1')
        return ok();
    sys::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
        return Error::from_errno("open(2) " + path, errno);
    if (::write(fd.get(), "1", 1) != 1)
        return Error::from_errno("write(2) " + path, errno);
    return ok();
}

std::set<std::string> present_links()
{
    std::set<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/sys/class/net", ec))
        out.insert(e.path().filename().string());
    return out;
}

/// Reads the container's UDP forwards before its chains go, to forget their conntrack flows
/// after: once the rule is gone nothing else would stop translating them.
std::map<std::string, std::set<uint16_t>> udp_forwards(Nftables& nft, const std::string& scope, std::string_view id)
{
    auto listing = nft.run("list chain ip " + std::string(kDnatTable) + " " + dnat_chain_prefix(scope, id) + "-out\n");
    return listing ? parse_udp_forwards(*listing) : std::map<std::string, std::set<uint16_t>>{};
}

void forget_flows(const std::map<std::string, std::set<uint16_t>>& forwards)
{
    for (const auto& [address, ports] : forwards)
        (void)sys::forget_udp_dnat_flows(address, ports);
}

/// The socket redirect (socket_redirect.h) is a layer on top: where it fails the DNAT rules
/// serve the same connections, so its errors are only told under WHARF_DEBUG.
void debug_redirect_failure(const Result<void>& r)
{
    if (r)
        return;
    if (const char* d = std::getenv("WHARF_DEBUG"); d && *d)
        std::fprintf(stderr, "wharf: debug: %s (kernel DNAT serves)\n", r.error().summary().c_str());
}

} // namespace

Result<void> install_port_dnat(std::string_view state_root, std::string_view container_id, const DnatTarget& target,
                               const std::vector<PublishedPort>& ports)
{
    const std::string frame = "kernel DNAT for container " + std::string(container_id.substr(0, 12));
    DnatPlan plan;
    plan.scope = scope_of(state_root);
    plan.container_id = std::string(container_id);
    plan.address = target.address;
    plan.subnet = target.subnet;
    plan.bridge = target.bridge;
    plan.prerouting = ip_forwarding();
    plan.ports = ports;
    std::string script = dnat_install_script(plan);
    if (script.empty())
        return ok();
    auto nft = TRY_CTX(Nftables::create(), frame);
    // Stale chains forwarding the same host ports go in the same transaction.
    std::map<std::string, std::set<uint16_t>> udp;
    if (auto listing = nft.run("add table ip " + std::string(kDnatTable) + "\nlist table ip " +
                               std::string(kDnatTable) + "\n")) {
        auto present = parse_dnat_listing(*listing, plan.scope);
        plan.replace = present.container_ids.count(plan.container_id) > 0;
        plan.guard = !present.guarded_bridges.count(plan.bridge);
        script = dnat_install_script(plan);
        std::string stale;
        for (const auto& prefix : dnat_conflicting_chains(*listing, plan)) {
            if (auto chain = nft.run("list chain ip " + std::string(kDnatTable) + " " + prefix + "-out\n"))
                for (auto& [address, ports] : parse_udp_forwards(*chain))
                    udp[address].insert(ports.begin(), ports.end());
            stale += dnat_remove_prefix_script(prefix);
        }
        script = stale + script;
    }
    TRY_CTX(nft.run(script), frame);
    forget_flows(udp);
    if (serves_loopback(ports) && !target.bridge.empty())
        if (auto r = enable_route_localnet(target.bridge); !r) {
            (void)nft.run(dnat_remove_script(plan.scope, plan.container_id));
            return std::move(r).error().context(frame);
        }
    // Host-local TCP clients then bypass the NAT altogether.
    if (!socket_redirect_disabled())
        debug_redirect_failure(install_socket_redirect(plan.scope, container_id, target.address, ports));
    return ok();
}

Result<void> remove_port_dnat(std::string_view state_root, std::string_view container_id)
{
    const std::string scope = scope_of(state_root);
    // First, and whatever becomes of the rules: its entries would send connections to an
    // address soon reused.
    debug_redirect_failure(remove_socket_redirect(scope, container_id));
    auto nft = TRY(Nftables::create());
    auto udp = udp_forwards(nft, scope, container_id);
    TRY_CTX(nft.run(dnat_remove_script(scope, container_id)),
            "remove kernel DNAT for container " + std::string(container_id.substr(0, 12)));
    forget_flows(udp);
    return ok();
}

Result<int> sweep_port_dnat(std::string_view state_root, const std::set<std::string>& live_ids)
{
    const std::string scope = scope_of(state_root);
    if (auto r = sweep_socket_redirect(scope, live_ids); !r)
        debug_redirect_failure(std::move(r).error());
    auto nft = TRY(Nftables::create());
    // Listing a table that does not exist fails: make sure it does (an empty table is inert).
    auto listing = TRY_CTX(nft.run("add table ip " + std::string(kDnatTable) + "\nlist table ip " +
                                   std::string(kDnatTable) + "\n"),
                           "list kernel DNAT chains");
    auto parsed = parse_dnat_listing(listing, scope);
    std::string script = dnat_sweep_script(parsed, scope, live_ids, present_links());
    if (script.empty())
        return 0;
    std::map<std::string, std::set<uint16_t>> udp;
    int removed = 0;
    for (const auto& id : parsed.container_ids)
        if (!live_ids.count(id)) {
            ++removed;
            for (auto& [address, ports] : udp_forwards(nft, scope, id))
                udp[address].insert(ports.begin(), ports.end());
        }
    TRY_CTX(nft.run(script), "remove stale kernel DNAT chains");
    forget_flows(udp);
    return removed;
}

Result<void> remove_bridge_guard(std::string_view bridge)
{
    auto nft = TRY(Nftables::create());
    TRY_CTX(nft.run(dnat_remove_guard_script(bridge)), "remove the loopback guard of bridge " + std::string(bridge));
    return ok();
}

} // namespace wharf::engine
