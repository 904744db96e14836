#include "engine/network/network_store.h"

#include "engine/events/event_journal.h"
#include "engine/network/netns.h"
#include "engine/port/port_dnat.h"
#include "engine/sys/file.h"
#include "engine/sys/netlink.h"

#include <algorithm>
#include <chrono>
#include <dirent.h>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

namespace wharf::engine {
namespace {

/// Docker's network event: Actor attributes name and type (the driver), plus the container
/// for connect and disconnect. Best effort, as every journal write.
void network_event(const std::string& root, const NetworkRecord& r, const std::string& action,
                   const std::string& container = {})
{
    Event e;
    e.type = "network";
    e.action = action;
    e.id = r.id;
    e.attributes = {{"name", r.name}, {"type", std::string(to_string(r.driver))}};
    if (!container.empty())
        e.attributes["container"] = container;
    record_event(root, std::move(e));
}

constexpr const char* kSubnetLock = "/run/lock/wharf-subnets.lock";
constexpr const char* kDefaultRoot = "/var/lib/wharf";

std::string rfc3339_now()
{
    using namespace std::chrono;
    auto now = system_clock::now();
    auto secs = time_point_cast<seconds>(now);
    auto ns = duration_cast<nanoseconds>(now - secs).count();
    std::time_t t = system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09lldZ", static_cast<long long>(ns));
    return std::string(buf) + frac;
}

Error not_found(const std::string& name) { return Error(Errc::NotFound, "network " + name + " not found"); }

/// Subnets the host already routes or addresses: a new bridge must not shadow them.
Result<std::vector<Ipv4Subnet>> host_subnets()
{
    auto nl = TRY(sys::Netlink::open());
    std::vector<Ipv4Subnet> used;
    for (const auto& r : TRY(nl.routes(AF_INET)))
        if (!r.destination.empty() && r.prefix > 0)
            if (auto s = Ipv4Subnet::parse(r.destination + "/" + std::to_string(r.prefix)))
                used.push_back(*s);
    for (const auto& a : TRY(nl.addresses(AF_INET)))
        if (auto s = Ipv4Subnet::parse(a.address + "/" + std::to_string(a.prefix)))
            used.push_back(*s);
    return used;
}

/// Brings up lo, the container's interface with its address, and the default route, inside
/// the container's namespace.
Result<void> configure_container_side(int netns_fd, const Endpoint& ep, const std::string& gateway, bool default_route)
{
    auto nl = TRY(sys::Netlink::open_in(netns_fd));
    TRY(nl.set_up(TRY(nl.link_index("lo"))));
    int index = TRY(nl.link_index(ep.interface));
    TRY(nl.add_address(index, ep.ipv4, ep.prefix));
    TRY(nl.set_up(index));
    if (default_route)
        TRY(nl.add_route("", 0, gateway, index));
    return ok();
}

} // namespace

std::string random_hex_id(size_t length)
{
    static const char* hex = "0123456789abcdef";
    std::random_device rd;
    std::string out;
    for (size_t i = 0; i < length; ++i)
        out += hex[rd() & 15];
    return out;
}

bool valid_network_name(std::string_view name)
{
    if (name.empty() || !std::isalnum(static_cast<unsigned char>(name[0])))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

Result<NetworkStore> NetworkStore::open(const std::string& root)
{
    std::vector<AddressPool> pools = default_address_pools();
    if (sys::exists(root + "/config.json")) {
        auto text = TRY(sys::read_file(root + "/config.json"));
        try {
            auto j = nlohmann::json::parse(text);
            if (j.contains("default-address-pools")) {
                pools.clear();
                for (const auto& p : j["default-address-pools"]) {
                    auto base = TRY_CTX(Ipv4Subnet::parse(p.at("base").get<std::string>()), root + "/config.json");
                    pools.push_back({base, p.value("size", 24)});
                }
            }
        } catch (const nlohmann::json::exception& e) {
            return Error(Errc::Invalid, root + "/config.json: " + e.what());
        }
    }
    TRY(sys::make_dirs(root + "/networks", 0700));
    return NetworkStore(root, std::move(pools));
}

Result<std::vector<NetworkRecord>> NetworkStore::load_all()
{
    std::vector<NetworkRecord> out;
    DIR* d = opendir(dir().c_str());
    if (!d)
        return Error::from_errno("opendir(3) " + dir(), errno);
    std::vector<std::string> names;
    while (dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (n.size() > 5 && n.ends_with(".json") && n[0] != '.')
            names.push_back(n);
    }
    closedir(d);
    for (const auto& n : names) {
        auto text = sys::read_file(dir() + "/" + n);
        if (!text)
            continue; // removed meanwhile
        out.push_back(TRY_CTX(decode_network(*text), dir() + "/" + n));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

Result<void> NetworkStore::save(const NetworkRecord& record)
{
    return sys::write_file_atomic(dir() + "/" + record.id + ".json", encode_network(record), 0600);
}

Result<void> NetworkStore::ensure_predefined()
{
    auto all = TRY(load_all());
    for (auto [name, driver] : {std::pair{"bridge", NetworkDriver::Bridge}, std::pair{"host", NetworkDriver::Host},
                                std::pair{"none", NetworkDriver::Null}}) {
        if (std::any_of(all.begin(), all.end(), [&](const auto& r) { return r.name == name; }))
            continue;
        NetworkRecord r;
        r.id = random_hex_id();
        r.name = name;
        r.created = rfc3339_now();
        r.driver = driver;
        if (driver == NetworkDriver::Bridge)
            r.bridge = m_root == kDefaultRoot ? "wharf0" : "wh-" + r.id.substr(0, 12);
        TRY(save(r));
    }
    return ok();
}

Result<NetworkRecord> NetworkStore::find_locked(const std::string& key)
{
    auto all = TRY(load_all());
    for (const auto& r : all)
        if (r.name == key || r.id == key)
            return r;
    std::vector<const NetworkRecord*> matches;
    for (const auto& r : all)
        if (!key.empty() && r.id.starts_with(key))
            matches.push_back(&r);
    if (matches.size() == 1)
        return *matches[0];
    if (matches.size() > 1)
        return Error(Errc::Invalid, "network " + key + " is ambiguous (" + std::to_string(matches.size()) +
                                        " matches found based on ID prefix)");
    return not_found(key);
}

Result<NetworkRecord> NetworkStore::find(const std::string& name_or_id)
{
    auto lock = TRY(sys::FileLock::acquire(dir() + "/.lock"));
    TRY(ensure_predefined());
    TRY(cleanup_stale_locked());
    return find_locked(name_or_id);
}

Result<std::vector<NetworkRecord>> NetworkStore::list()
{
    auto lock = TRY(sys::FileLock::acquire(dir() + "/.lock"));
    TRY(ensure_predefined());
    TRY(cleanup_stale_locked());
    return load_all();
}

Result<void> NetworkStore::ensure_bridge(const NetworkRecord& record)
{
    auto nl = TRY(sys::Netlink::open());
    auto link = nl.link(record.bridge);
    if (link) {
        if (!link->up)
            TRY(nl.set_up(link->index));
        return ok();
    }
    if (link.error().code() != Errc::NotFound)
        return std::move(link).error();
    auto subnet = TRY(Ipv4Subnet::parse(record.subnet));
    TRY_CTX(nl.add_bridge(record.bridge), "create bridge " + record.bridge);
    auto undo = [&] { (void)nl.delete_link(record.bridge); };
    int index = 0;
    if (auto r = nl.link_index(record.bridge); !r) {
        undo();
        return std::move(r).error();
    } else {
        index = *r;
    }
    if (auto r = nl.add_address(index, record.gateway, subnet.prefix); !r) {
        undo();
        return std::move(r).error().context("create bridge " + record.bridge);
    }
    if (auto r = nl.set_up(index); !r) {
        undo();
        return std::move(r).error().context("create bridge " + record.bridge);
    }
    return ok();
}

Result<NetworkRecord> NetworkStore::create(const NetworkCreateOptions& options)
{
    if (!valid_network_name(options.name))
        return Error(Errc::Invalid, "invalid network name \"" + options.name +
                                        "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    auto lock = TRY(sys::FileLock::acquire(dir() + "/.lock"));
    TRY(ensure_predefined());
    auto all = TRY(load_all());
    for (const auto& r : all)
        if (r.name == options.name) {
            if (r.driver != NetworkDriver::Bridge && options.driver == r.driver)
                return Error(Errc::Conflict, "only one instance of \"" + r.name + "\" network is allowed");
            return Error(Errc::Conflict, "network with name " + options.name + " already exists");
        }
    if (options.driver != NetworkDriver::Bridge)
        return Error(Errc::Invalid, "only one instance of \"" + std::string(to_string(options.driver)) +
                                        "\" network is allowed");

    NetworkRecord r;
    r.id = random_hex_id();
    r.name = options.name;
    r.created = rfc3339_now();
    r.driver = NetworkDriver::Bridge;
    r.internal = options.internal;
    r.labels = options.labels;
    r.options = options.options;
    r.bridge = "wh-" + r.id.substr(0, 12);

    // Subnet choice and bridge creation form one step under the machine-wide lock: the new
    // bridge's route is what tells the next chooser (in any state root) that it is taken.
    auto subnet_lock = TRY(sys::FileLock::acquire(kSubnetLock));
    std::vector<Ipv4Subnet> root_used;
    for (const auto& n : all)
        if (!n.subnet.empty())
            root_used.push_back(TRY(Ipv4Subnet::parse(n.subnet)));
    Ipv4Subnet subnet;
    if (!options.subnet.empty()) {
        subnet = TRY(Ipv4Subnet::parse(options.subnet));
        for (const auto& u : root_used)
            if (u.overlaps(subnet))
                return Error(Errc::Conflict, "invalid pool request: Pool overlaps with other one on this address space");
    } else {
        auto used = TRY(host_subnets());
        used.insert(used.end(), root_used.begin(), root_used.end());
        subnet = TRY(choose_subnet(m_pools, used));
    }
    r.subnet = subnet.to_string();
    if (!options.gateway.empty()) {
        uint32_t gw = TRY(parse_ipv4(options.gateway));
        if (!subnet.contains(gw))
            return Error(Errc::Invalid, "no matching subnet for gateway " + options.gateway);
        r.gateway = options.gateway;
    } else {
        r.gateway = format_ipv4(gateway_of(subnet));
    }
    TRY(ensure_bridge(r));
    if (auto saved = save(r); !saved) {
        if (auto nl = sys::Netlink::open())
            (void)nl->delete_link(r.bridge);
        return std::move(saved).error();
    }
    network_event(m_root, r, "create");
    return r;
}

Result<void> NetworkStore::remove(const std::string& key)
{
    auto lock = TRY(sys::FileLock::acquire(dir() + "/.lock"));
    TRY(ensure_predefined());
    TRY(cleanup_stale_locked());
    auto r = TRY(find_locked(key));
    if (r.predefined())
        return Error(Errc::Invalid, r.name + " is a pre-defined network and cannot be removed");
    if (!r.endpoints.empty()) {
        std::string names;
        for (const auto& [id, e] : r.endpoints)
            names += (names.empty() ? "" : ", ") + e.container_name;
        return Error(Errc::Conflict, "error while removing network: network " + r.name + " id " + r.id +
                                         " has active endpoints (" + names + ")");
    }
    if (!r.bridge.empty()) {
        // route_localnet=1 means kernel DNAT served loopback clients here and left a guard.
        auto localnet = sys::read_file("/proc/sys/net/ipv4/conf/" + r.bridge + "/route_localnet");
        auto nl = TRY(sys::Netlink::open());
        if (auto d = nl.delete_link(r.bridge); !d && d.error().code() != Errc::NotFound)
            return std::move(d).error().context("remove network " + r.name);
        if (localnet && localnet->starts_with("1"))
            (void)remove_bridge_guard(r.bridge);
    }
    TRY(sys::remove_all(dir() + "/" + r.id + ".json"));
    network_event(m_root, r, "destroy");
    return ok();
}

Result<std::vector<std::string>> NetworkStore::prune(const std::map<std::string, std::string>& labels)
{
    std::vector<std::string> removed;
    for (const auto& r : TRY(list())) {
        if (r.predefined() || !r.endpoints.empty())
            continue;
        bool match = std::all_of(labels.begin(), labels.end(), [&](const auto& kv) {
            auto it = r.labels.find(kv.first);
            return it != r.labels.end() && (kv.second.empty() || it->second == kv.second);
        });
        if (!match)
            continue;
        auto rm = remove(r.id);
        if (!rm && rm.error().code() == Errc::Conflict)
            continue; // got an endpoint meanwhile
        TRY(std::move(rm));
        removed.push_back(r.name);
    }
    return removed;
}

Result<int> NetworkStore::cleanup_stale()
{
    auto lock = TRY(sys::FileLock::acquire(dir() + "/.lock"));
    return cleanup_stale_locked();
}

Result<int> NetworkStore::cleanup_stale_locked()
{
    auto all = TRY(load_all());
    bool any = std::any_of(all.begin(), all.end(), [](const auto& r) { return !r.endpoints.empty(); });
    if (!any)
        return 0;
    auto nl = TRY(sys::Netlink::open());
    std::set<std::string> present;
    for (const auto& l : TRY(nl.links()))
        present.insert(l.name);
    int dropped = 0;
    for (auto& r : all) {
        bool changed = false;
        for (auto it = r.endpoints.begin(); it != r.endpoints.end();) {
            // The veth dies with the container's netns: an endpoint without it has no container.
            if (!it->second.host_interface.empty() && !present.count(it->second.host_interface)) {
                it = r.endpoints.erase(it);
                changed = true;
                ++dropped;
            } else {
                ++it;
            }
        }
        if (changed)
            TRY(save(r));
    }
    return dropped;
}

Result<Endpoint> NetworkStore::attach(const std::string& key, const AttachRequest& req, int netns_fd)
{
    auto lock = TRY(sys::FileLock::acquire(dir() + "/.lock"));
    TRY(ensure_predefined());
    TRY(cleanup_stale_locked());
    auto r = TRY(find_locked(key));
    if (r.driver != NetworkDriver::Bridge)
        return Error(Errc::Invalid, "container cannot be connected to network " + r.name + " (driver " +
                                        std::string(to_string(r.driver)) + ")");
    if (r.endpoints.count(req.container_id))
        return Error(Errc::Conflict, "endpoint with name " + req.container_name + " already exists in network " + r.name);
    if (r.subnet.empty()) { // the default network gets its subnet on first use
        auto subnet_lock = TRY(sys::FileLock::acquire(kSubnetLock));
        auto used = TRY(host_subnets());
        for (const auto& n : TRY(load_all()))
            if (!n.subnet.empty())
                used.push_back(TRY(Ipv4Subnet::parse(n.subnet)));
        auto subnet = TRY(choose_subnet(m_pools, used));
        r.subnet = subnet.to_string();
        r.gateway = format_ipv4(gateway_of(subnet));
        TRY(ensure_bridge(r));
        TRY(save(r));
    } else {
        TRY(ensure_bridge(r));
    }

    auto subnet = TRY(Ipv4Subnet::parse(r.subnet));
    std::set<uint32_t> taken{TRY(parse_ipv4(r.gateway))};
    for (const auto& [id, e] : r.endpoints)
        taken.insert(TRY(parse_ipv4(e.ipv4)));
    uint32_t address = 0;
    if (!req.ipv4.empty()) {
        address = TRY(parse_ipv4(req.ipv4));
        if (!subnet.contains(address) || address == subnet.base || address == subnet.broadcast())
            return Error(Errc::Invalid, "invalid address " + req.ipv4 + ": it does not belong to any of this "
                                        "network's subnets");
        if (taken.count(address))
            return Error(Errc::Conflict, "Address already in use");
    } else {
        address = TRY(choose_address(subnet, taken));
    }

    Endpoint ep;
    ep.container_id = req.container_id;
    ep.container_name = req.container_name;
    ep.aliases = req.aliases;
    ep.ipv4 = format_ipv4(address);
    ep.prefix = subnet.prefix;
    ep.interface = req.interface.empty() ? "eth0" : req.interface;
    ep.host_interface = "veth" + random_hex_id(7);

    auto nl = TRY(sys::Netlink::open());
    TRY_CTX(nl.add_veth(ep.host_interface, ep.interface, netns_fd), "attach to network " + r.name);
    auto fail = [&](Error e) -> Error {
        (void)nl.delete_link(ep.host_interface);
        return std::move(e).context("attach to network " + r.name);
    };
    auto bridge_index = nl.link_index(r.bridge);
    if (!bridge_index)
        return fail(std::move(bridge_index).error());
    auto host = nl.link(ep.host_interface);
    if (!host)
        return fail(std::move(host).error());
    if (auto s = nl.set_master(host->index, *bridge_index); !s)
        return fail(std::move(s).error());
    if (auto s = nl.set_up(host->index); !s)
        return fail(std::move(s).error());
    if (auto s = configure_container_side(netns_fd, ep, r.gateway, req.default_route); !s)
        return fail(std::move(s).error());
    if (auto inner = sys::Netlink::open_in(netns_fd))
        if (auto l = inner->link(ep.interface))
            ep.mac = l->mac;
    r.endpoints[ep.container_id] = ep;
    if (auto s = save(r); !s)
        return fail(std::move(s).error());
    network_event(m_root, r, "connect", ep.container_id);
    return ep;
}

Result<void> NetworkStore::detach(const std::string& key, const std::string& container_id)
{
    auto lock = TRY(sys::FileLock::acquire(dir() + "/.lock"));
    auto r = TRY(find_locked(key));
    auto it = r.endpoints.find(container_id);
    if (it == r.endpoints.end())
        return ok();
    auto nl = TRY(sys::Netlink::open());
    if (auto d = nl.delete_link(it->second.host_interface); !d && d.error().code() != Errc::NotFound)
        return std::move(d).error().context("detach from network " + r.name);
    r.endpoints.erase(it);
    TRY(save(r));
    network_event(m_root, r, "disconnect", container_id);
    return ok();
}

Result<int> NetworkStore::rename_endpoints(const std::string& container_id, const std::string& new_name)
{
    auto lock = TRY(sys::FileLock::acquire(dir() + "/.lock"));
    int changed = 0;
    for (auto& r : TRY(load_all())) {
        auto it = r.endpoints.find(container_id);
        if (it == r.endpoints.end() || it->second.container_name == new_name)
            continue;
        it->second.container_name = new_name;
        TRY_CTX(save(r), "rename endpoint in network " + r.name);
        ++changed;
    }
    return changed;
}

} // namespace wharf::engine
