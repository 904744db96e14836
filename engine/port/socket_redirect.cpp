#include "engine/port/socket_redirect.h"

#include "engine/base/split.h"
#include "engine/port/redirect_program.h"
#include "engine/port/socket_table.h"
#include "engine/sys/bpf.h"
#include "engine/sys/fd.h"
#include "engine/sys/file.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <linux/bpf.h>
#include <optional>
#include <span>

namespace wharf::engine {

namespace {

// ---- the map -------------------------------------------------------------------------------

/// Every key, by BPF_MAP_GET_NEXT_KEY from the start. Only wharf writes the map, and only
/// under the host lock, so no key vanishes under the walk (which would restart it).
Result<std::vector<RedirectKey>> map_keys(int map)
{
    std::vector<RedirectKey> keys;
    RedirectKey next{};
    for (uint32_t i = 0; i <= kRedirectMapEntries; ++i) {
        auto after = keys.empty() ? std::span<const std::byte>() : sys::bpf_bytes(keys.back());
        if (!TRY(sys::bpf_map_next_key(map, after, sys::bpf_writable_bytes(next), kRedirectMapName)))
            return keys;
        keys.push_back(next);
    }
    return Error(Errc::Internal, std::string("bpf map ") + kRedirectMapName + ": iteration does not end");
}

Result<std::optional<RedirectValue>> map_lookup(int map, const RedirectKey& key)
{
    RedirectValue value{};
    if (!TRY(sys::bpf_map_lookup(map, sys::bpf_bytes(key), sys::bpf_writable_bytes(value), kRedirectMapName)))
        return std::optional<RedirectValue>();
    return std::optional<RedirectValue>(value);
}

Result<void> map_update(int map, const RedirectEntry& entry)
{
    // BPF_ANY: a stale entry for the same port (its monitor and root gone) is replaced.
    return sys::bpf_map_update(map, sys::bpf_bytes(entry.key), sys::bpf_bytes(entry.value), BPF_ANY,
                               format_redirect_entry(entry));
}

Result<void> map_delete(int map, const RedirectKey& key)
{
    TRY(sys::bpf_map_delete(map, sys::bpf_bytes(key), kRedirectMapName)); // already gone is fine
    return ok();
}

/// Deletes the entries `doomed(key, value)` picks; returns how many.
template <typename Pred> Result<int> map_delete_if(int map, Pred doomed)
{
    int removed = 0;
    for (const auto& key : TRY(map_keys(map)))
        if (auto value = TRY(map_lookup(map, key)); value && doomed(key, *value)) {
            TRY(map_delete(map, key));
            ++removed;
        }
    return removed;
}

Result<bool> map_empty(int map)
{
    RedirectKey first{};
    return !TRY(sys::bpf_map_next_key(map, {}, sys::bpf_writable_bytes(first), kRedirectMapName));
}

} // namespace

Result<sys::UniqueFd> create_redirect_map()
{
    return sys::bpf_map_create({
        .type = BPF_MAP_TYPE_HASH,
        .key_size = sizeof(RedirectKey),
        .value_size = sizeof(RedirectValue),
        .max_entries = kRedirectMapEntries,
        .flags = BPF_F_NO_PREALLOC, // a few entries in practice: no 16384 allocated up front
        .name = kRedirectMapName,
    });
}

Result<sys::UniqueFd> load_connect4_program(const Connect4Program& insns)
{
    return sys::bpf_prog_load({
        .type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
        .expected_attach_type = BPF_CGROUP_INET4_CONNECT,
        .insns = insns,
        .license = "GPL", // neither helper used is GPL-only; the kernel asks for one anyway
        .name = kRedirectProgName,
    });
}

namespace {

struct Attached {
    sys::UniqueFd prog;
    sys::UniqueFd map;
};

/// The map of an attached program if it is this wharf's: named kRedirectProgName, one map,
/// named kRedirectMapName with our layout (another version's program is left alone).
Result<std::optional<sys::UniqueFd>> our_map(int prog)
{
    const auto info = TRY(sys::bpf_prog_get_info(prog, "of a connect4 program"));
    if (info.name != kRedirectProgName || info.map_ids.size() != 1)
        return std::optional<sys::UniqueFd>();
    auto map = TRY(sys::bpf_map_get_fd_by_id(info.map_ids[0], kRedirectMapName));
    if (!map)
        return std::optional<sys::UniqueFd>();
    const auto minfo = TRY(sys::bpf_map_get_info(map->get(), kRedirectMapName));
    if (minfo.name != kRedirectMapName || minfo.type != BPF_MAP_TYPE_HASH || minfo.key_size != sizeof(RedirectKey) ||
        minfo.value_size != sizeof(RedirectValue))
        return std::optional<sys::UniqueFd>();
    return map;
}

/// The wharf program attached to `cgroup` (directly, not inherited), if any.
Result<std::optional<Attached>> find_attached(int cgroup)
{
    for (uint32_t id : TRY(sys::bpf_prog_query(cgroup, BPF_CGROUP_INET4_CONNECT, "BPF_CGROUP_INET4_CONNECT"))) {
        auto prog = TRY(sys::bpf_prog_get_fd_by_id(id, ""));
        if (!prog)
            continue; // detached meanwhile (not ours: we hold the lock)
        if (auto map = TRY(our_map(prog->get())))
            return std::optional<Attached>(Attached{std::move(*prog), std::move(*map)});
    }
    return std::optional<Attached>();
}

Result<void> attach(int cgroup, int prog)
{
    // Beside whatever else is attached there (systemd's, Cilium's): MULTI runs them all.
    return sys::bpf_prog_attach(cgroup, prog, BPF_CGROUP_INET4_CONNECT, BPF_F_ALLOW_MULTI, kRedirectProgName);
}

Result<void> detach(int cgroup, int prog)
{
    return sys::bpf_prog_detach(cgroup, prog, BPF_CGROUP_INET4_CONNECT, kRedirectProgName);
}

// ---- the host ------------------------------------------------------------------------------

Result<sys::UniqueFd> open_cgroup_root()
{
    auto mountinfo = TRY(sys::read_file("/proc/self/mountinfo"));
    std::string root = cgroup2_root_mount(mountinfo);
    if (root.empty())
        return Error(Errc::NotFound, "no cgroup2 hierarchy mounted (/proc/self/mountinfo)");
    sys::UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        return Error::from_errno("open(2) " + root, errno);
    return fd;
}

/// The host state every call works on, under the host lock.
struct Host {
    sys::FileLock lock;
    sys::UniqueFd cgroup;
    std::optional<Attached> attached;
};

Result<Host> open_host()
{
    auto lock = TRY(sys::FileLock::acquire(kSocketRedirectLock));
    auto cgroup = TRY(open_cgroup_root());
    auto attached = TRY(find_attached(cgroup.get()));
    return Host{std::move(lock), std::move(cgroup), std::move(attached)};
}

/// Nothing is left on the host once the map is empty: the program goes, and with its last
/// reference (our fds close next) the kernel frees it and the map.
Result<void> detach_if_empty(Host& host)
{
    if (host.attached && TRY(map_empty(host.attached->map.get())))
        TRY(detach(host.cgroup.get(), host.attached->prog.get()));
    return ok();
}

/// The address:port pairs something listens on in this network namespace (TCP), from
/// /proc/net/tcp and tcp6; none when unreadable (then no entry counts as unheld).
std::optional<std::set<std::pair<uint32_t, uint16_t>>> host_listeners()
{
    auto v4 = sys::read_file("/proc/net/tcp");
    if (!v4)
        return std::nullopt;
    auto out = parse_tcp_listeners(*v4);
    if (auto v6 = sys::read_file("/proc/net/tcp6"))
        out.merge(parse_tcp_listeners(*v6));
    return out;
}

} // namespace

std::string cgroup2_root_mount(std::string_view mountinfo)
{
    for (std::string_view line : split_lines(mountinfo)) {
        // "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"
        auto dash = line.find(" - ");
        if (dash == std::string_view::npos)
            continue;
        auto left = split_words(line.substr(0, dash)), right = split_words(line.substr(dash + 3));
        if (left.size() < 5 || right.empty())
            continue;
        // The hierarchy's root, not a bind mount of one of its groups.
        if (right[0] == "cgroup2" && left[3] == "/")
            return std::string(left[4]);
    }
    return "";
}

std::set<std::pair<uint32_t, uint16_t>> parse_tcp_listeners(std::string_view proc_net_tcp)
{
    std::set<std::pair<uint32_t, uint16_t>> out;
    for (const auto& row : parse_socket_table(proc_net_tcp)) {
        if (row.state != "0A") // LISTEN
            continue;
        const std::string addr(row.local_address);
        uint16_t port = row.local_port;
        // The kernel prints each 32-bit word of the address as a native integer (%08X), so on
        // this machine the parsed word is the address in network order again.
        auto word = [&](size_t i) {
            return static_cast<uint32_t>(std::strtoul(addr.substr(8 * i, 8).c_str(), nullptr, 16));
        };
        if (addr.size() == 8) {
            out.insert({word(0), port});
        } else if (addr.size() == 32) {
            // [::] (dual-stack) serves every IPv4 address; ::ffff:a.b.c.d that one.
            if (word(0) == 0 && word(1) == 0 && word(2) == 0 && word(3) == 0)
                out.insert({0, port});
            else if (word(0) == 0 && word(1) == 0 && word(2) == htonl(0xffff))
                out.insert({word(3), port});
        }
    }
    return out;
}

Result<void> install_socket_redirect(std::string_view scope, std::string_view container_id,
                                     std::string_view container_ip, const std::vector<PublishedPort>& ports)
{
    if (redirect_entries(0, scope, container_id, container_ip, ports).empty())
        return ok();
    const std::string frame = "socket redirect for container " + std::string(container_id.substr(0, 12));
    const uint64_t cookie = TRY_CTX(sys::netns_cookie(), frame);
    const auto entries = redirect_entries(cookie, scope, container_id, container_ip, ports);
    auto host = TRY_CTX(open_host(), frame);
    bool fresh = false;
    if (!host.attached) {
        auto map = TRY_CTX(create_redirect_map(), frame);
        auto prog = TRY_CTX(load_connect4_program(connect4_program(map.get())), frame);
        host.attached = Attached{std::move(prog), std::move(map)};
        fresh = true;
    }
    const int map = host.attached->map.get();
    // A restart with other ports: the earlier entries go.
    auto put = [&]() -> Result<void> {
        TRY(map_delete_if(map, [&](const RedirectKey&, const RedirectValue& v) {
            return redirect_owned_by(v, scope, container_id);
        }));
        for (const auto& e : entries)
            TRY(map_update(map, e));
        // A fresh program is attached with its map filled: no connect(2) sees it half done.
        if (fresh)
            TRY(attach(host.cgroup.get(), host.attached->prog.get()));
        return ok();
    };
    if (auto r = put(); !r) {
        // None of its entries stays (a fresh program and map go with their fds).
        if (!fresh) {
            (void)map_delete_if(map, [&](const RedirectKey&, const RedirectValue& v) {
                return redirect_owned_by(v, scope, container_id);
            });
            (void)detach_if_empty(host);
        }
        return std::move(r).error().context(frame);
    }
    return ok();
}

Result<void> remove_socket_redirect(std::string_view scope, std::string_view container_id)
{
    const std::string frame = "remove socket redirect for container " + std::string(container_id.substr(0, 12));
    auto host = TRY_CTX(open_host(), frame);
    if (!host.attached)
        return ok();
    TRY_CTX(map_delete_if(
                host.attached->map.get(),
                [&](const RedirectKey&, const RedirectValue& v) { return redirect_owned_by(v, scope, container_id); }),
            frame);
    TRY_CTX(detach_if_empty(host), frame);
    return ok();
}

Result<int> sweep_socket_redirect(std::string_view scope, const std::set<std::string>& live_ids)
{
    const std::string frame = "remove stale socket redirects";
    auto host = TRY_CTX(open_host(), frame);
    if (!host.attached)
        return 0;
    // Besides this root's dead containers: any entry whose port no one listens on any more
    // (every live one's is held by its monitor, from before install to after remove), so
    // that a root deleted with its monitor SIGKILLed leaves nothing attached for good, and a
    // host service later taking that port is not redirected away from.
    const auto listeners = host_listeners();
    auto unheld = [&](const RedirectKey& k) {
        const uint16_t port = ntohs(k.port);
        return listeners && !listeners->count({k.ip4, port}) && !listeners->count({0, port});
    };
    int removed = TRY_CTX(map_delete_if(host.attached->map.get(),
                                        [&](const RedirectKey& k, const RedirectValue& v) {
                                            return redirect_stale(v, scope, live_ids) || unheld(k);
                                        }),
                          frame);
    TRY_CTX(detach_if_empty(host), frame);
    return removed;
}

Result<SocketRedirectState> socket_redirect_state()
{
    auto host = TRY(open_host());
    SocketRedirectState state;
    if (!host.attached)
        return state;
    state.attached = true;
    const int map = host.attached->map.get();
    for (const auto& key : TRY(map_keys(map)))
        if (auto value = TRY(map_lookup(map, key)))
            state.entries.push_back({key, *value});
    std::sort(state.entries.begin(), state.entries.end(), [](const RedirectEntry& a, const RedirectEntry& b) {
        return format_redirect_entry(a) < format_redirect_entry(b);
    });
    return state;
}

bool socket_redirect_disabled()
{
    const char* v = std::getenv("WHARF_SOCKET_REDIRECT");
    if (!v)
        return false;
    std::string s(v);
    return s == "0" || s == "false" || s == "no";
}

} // namespace wharf::engine
