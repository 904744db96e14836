#include "engine/port/socket_redirect.h"

#include "engine/port/redirect_program.h"
#include "engine/sys/fd.h"
#include "engine/sys/file.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/bpf.h>
#include <optional>
#include <sstream>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71 // asm-generic/socket.h since 5.14; older libc headers lack it
#endif

namespace wharf::engine {

namespace {

// ---- bpf(2), one wrapper per command used --------------------------------------------------

const char* command_name(int cmd)
{
    switch (cmd) {
    case BPF_MAP_CREATE:
        return "BPF_MAP_CREATE";
    case BPF_MAP_LOOKUP_ELEM:
        return "BPF_MAP_LOOKUP_ELEM";
    case BPF_MAP_UPDATE_ELEM:
        return "BPF_MAP_UPDATE_ELEM";
    case BPF_MAP_DELETE_ELEM:
        return "BPF_MAP_DELETE_ELEM";
    case BPF_MAP_GET_NEXT_KEY:
        return "BPF_MAP_GET_NEXT_KEY";
    case BPF_PROG_LOAD:
        return "BPF_PROG_LOAD";
    case BPF_PROG_ATTACH:
        return "BPF_PROG_ATTACH";
    case BPF_PROG_DETACH:
        return "BPF_PROG_DETACH";
    case BPF_PROG_GET_FD_BY_ID:
        return "BPF_PROG_GET_FD_BY_ID";
    case BPF_MAP_GET_FD_BY_ID:
        return "BPF_MAP_GET_FD_BY_ID";
    case BPF_OBJ_GET_INFO_BY_FD:
        return "BPF_OBJ_GET_INFO_BY_FD";
    case BPF_PROG_QUERY:
        return "BPF_PROG_QUERY";
    default:
        return "?";
    }
}

/// bpf(2), retrying EINTR; -1 with errno set on failure.
long bpf(int cmd, bpf_attr& attr)
{
    long r;
    do
        r = ::syscall(SYS_bpf, cmd, &attr, sizeof attr);
    while (r < 0 && errno == EINTR);
    return r;
}

Error bpf_error(int cmd, std::string_view subject, int err)
{
    return Error::from_errno(
        "bpf(2) " + std::string(command_name(cmd)) + (subject.empty() ? "" : " " + std::string(subject)), err);
}

/// A command that returns a new fd.
Result<sys::UniqueFd> bpf_fd(int cmd, bpf_attr& attr, std::string_view subject)
{
    long fd = bpf(cmd, attr);
    if (fd < 0)
        return bpf_error(cmd, subject, errno);
    return sys::UniqueFd(static_cast<int>(fd));
}

Result<void> bpf_do(int cmd, bpf_attr& attr, std::string_view subject)
{
    if (bpf(cmd, attr) < 0)
        return bpf_error(cmd, subject, errno);
    return ok();
}

uint64_t ptr(const void* p)
{
    return reinterpret_cast<uintptr_t>(p);
}

// ---- the map -------------------------------------------------------------------------------

/// Every key, by BPF_MAP_GET_NEXT_KEY from the start. Only wharf writes the map, and only
/// under the host lock, so no key vanishes under the walk (which would restart it).
Result<std::vector<RedirectKey>> map_keys(int map)
{
    std::vector<RedirectKey> keys;
    RedirectKey cur{}, next{};
    for (uint32_t i = 0; i <= kRedirectMapEntries; ++i) {
        bpf_attr attr{};
        attr.map_fd = static_cast<uint32_t>(map);
        attr.key = keys.empty() ? 0 : ptr(&cur);
        attr.next_key = ptr(&next);
        if (bpf(BPF_MAP_GET_NEXT_KEY, attr) < 0) {
            if (errno == ENOENT)
                return keys;
            return bpf_error(BPF_MAP_GET_NEXT_KEY, kRedirectMapName, errno);
        }
        keys.push_back(next);
        cur = next;
    }
    return Error(Errc::Internal, std::string("bpf map ") + kRedirectMapName + ": iteration does not end");
}

Result<std::optional<RedirectValue>> map_lookup(int map, const RedirectKey& key)
{
    RedirectValue value{};
    bpf_attr attr{};
    attr.map_fd = static_cast<uint32_t>(map);
    attr.key = ptr(&key);
    attr.value = ptr(&value);
    if (bpf(BPF_MAP_LOOKUP_ELEM, attr) < 0) {
        if (errno == ENOENT)
            return std::optional<RedirectValue>();
        return bpf_error(BPF_MAP_LOOKUP_ELEM, kRedirectMapName, errno);
    }
    return std::optional<RedirectValue>(value);
}

Result<void> map_update(int map, const RedirectEntry& entry)
{
    bpf_attr attr{};
    attr.map_fd = static_cast<uint32_t>(map);
    attr.key = ptr(&entry.key);
    attr.value = ptr(&entry.value);
    attr.flags = BPF_ANY; // a stale entry for the same port (its monitor and root gone) is replaced
    return bpf_do(BPF_MAP_UPDATE_ELEM, attr, format_redirect_entry(entry));
}

Result<void> map_delete(int map, const RedirectKey& key)
{
    bpf_attr attr{};
    attr.map_fd = static_cast<uint32_t>(map);
    attr.key = ptr(&key);
    if (bpf(BPF_MAP_DELETE_ELEM, attr) < 0 && errno != ENOENT)
        return bpf_error(BPF_MAP_DELETE_ELEM, kRedirectMapName, errno);
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
    RedirectKey next{};
    bpf_attr attr{};
    attr.map_fd = static_cast<uint32_t>(map);
    attr.key = 0;
    attr.next_key = ptr(&next);
    if (bpf(BPF_MAP_GET_NEXT_KEY, attr) == 0)
        return false;
    if (errno == ENOENT)
        return true;
    return bpf_error(BPF_MAP_GET_NEXT_KEY, kRedirectMapName, errno);
}

// ---- the program ---------------------------------------------------------------------------

/// The verifier's log, one line, its end kept (where the reason is).
std::string one_line(std::string log)
{
    while (!log.empty() && (log.back() == '\n' || log.back() == '\0'))
        log.pop_back();
    for (char& c : log)
        if (c == '\n')
            c = ';';
    constexpr size_t keep = 600;
    return log.size() > keep ? "…" + log.substr(log.size() - keep) : log;
}

} // namespace

Result<sys::UniqueFd> create_redirect_map()
{
    bpf_attr attr{};
    attr.map_type = BPF_MAP_TYPE_HASH;
    attr.key_size = sizeof(RedirectKey);
    attr.value_size = sizeof(RedirectValue);
    attr.max_entries = kRedirectMapEntries;
    attr.map_flags = BPF_F_NO_PREALLOC; // a few entries in practice: no 16384 allocated up front
    std::strncpy(attr.map_name, kRedirectMapName, sizeof attr.map_name - 1);
    return bpf_fd(BPF_MAP_CREATE, attr, kRedirectMapName);
}

Result<sys::UniqueFd> load_connect4_program(const Connect4Program& insns)
{
    // The kernel asks every program for a license; it only gates GPL-only helpers, and
    // neither helper used here is one.
    static const char license[] = "GPL";
    auto load = [&](uint32_t log_level, char* log, uint32_t log_size) {
        bpf_attr attr{};
        attr.prog_type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR;
        attr.expected_attach_type = BPF_CGROUP_INET4_CONNECT;
        attr.insns = ptr(insns.data());
        attr.insn_cnt = static_cast<uint32_t>(insns.size());
        attr.license = ptr(license);
        attr.log_level = log_level;
        attr.log_buf = ptr(log);
        attr.log_size = log_size;
        std::strncpy(attr.prog_name, kRedirectProgName, sizeof attr.prog_name - 1);
        return bpf(BPF_PROG_LOAD, attr);
    };
    long fd = load(0, nullptr, 0);
    if (fd >= 0)
        return sys::UniqueFd(static_cast<int>(fd));
    const int err = errno;
    // Again with the verifier's log (not asked for the first time: it costs a copy of every
    // line), for the error to say why.
    std::string log(64 * 1024, '\0');
    fd = load(1, log.data(), static_cast<uint32_t>(log.size()));
    if (fd >= 0) // accepted the second time (a transient failure): take it
        return sys::UniqueFd(static_cast<int>(fd));
    log.resize(std::strlen(log.c_str()));
    std::string subject = kRedirectProgName;
    if (!log.empty())
        subject += " (verifier: " + one_line(log) + ")";
    return bpf_error(BPF_PROG_LOAD, subject, err);
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
    uint32_t map_ids[1] = {};
    bpf_prog_info info{};
    info.nr_map_ids = 1;
    info.map_ids = ptr(map_ids);
    bpf_attr attr{};
    attr.info.bpf_fd = static_cast<uint32_t>(prog);
    attr.info.info_len = sizeof info;
    attr.info.info = ptr(&info);
    TRY(bpf_do(BPF_OBJ_GET_INFO_BY_FD, attr, "of a connect4 program"));
    if (std::strncmp(info.name, kRedirectProgName, sizeof info.name) != 0 || info.nr_map_ids != 1)
        return std::optional<sys::UniqueFd>();
    bpf_attr by_id{};
    by_id.map_id = map_ids[0];
    auto map = bpf_fd(BPF_MAP_GET_FD_BY_ID, by_id, kRedirectMapName);
    if (!map && map.error().code() == Errc::NotFound)
        return std::optional<sys::UniqueFd>();
    auto fd = TRY(std::move(map));
    bpf_map_info minfo{};
    bpf_attr ask{};
    ask.info.bpf_fd = static_cast<uint32_t>(fd.get());
    ask.info.info_len = sizeof minfo;
    ask.info.info = ptr(&minfo);
    TRY(bpf_do(BPF_OBJ_GET_INFO_BY_FD, ask, kRedirectMapName));
    if (std::strncmp(minfo.name, kRedirectMapName, sizeof minfo.name) != 0 || minfo.type != BPF_MAP_TYPE_HASH ||
        minfo.key_size != sizeof(RedirectKey) || minfo.value_size != sizeof(RedirectValue))
        return std::optional<sys::UniqueFd>();
    return std::optional<sys::UniqueFd>(std::move(fd));
}

/// The wharf program attached to `cgroup` (directly, not inherited), if any.
Result<std::optional<Attached>> find_attached(int cgroup)
{
    std::vector<uint32_t> ids(8);
    for (;;) {
        bpf_attr attr{};
        attr.query.target_fd = static_cast<uint32_t>(cgroup);
        attr.query.attach_type = BPF_CGROUP_INET4_CONNECT;
        attr.query.prog_ids = ptr(ids.data());
        attr.query.prog_cnt = static_cast<uint32_t>(ids.size());
        if (bpf(BPF_PROG_QUERY, attr) == 0) {
            ids.resize(attr.query.prog_cnt);
            break;
        }
        if (errno != ENOSPC) // ENOSPC: more programs than ids; prog_cnt says how many
            return bpf_error(BPF_PROG_QUERY, "BPF_CGROUP_INET4_CONNECT", errno);
        ids.resize(attr.query.prog_cnt + 8);
    }
    for (uint32_t id : ids) {
        bpf_attr by_id{};
        by_id.prog_id = id;
        auto prog = bpf_fd(BPF_PROG_GET_FD_BY_ID, by_id, "");
        if (!prog && prog.error().code() == Errc::NotFound)
            continue; // detached meanwhile (not ours: we hold the lock)
        auto fd = TRY(std::move(prog));
        if (auto map = TRY(our_map(fd.get())))
            return std::optional<Attached>(Attached{std::move(fd), std::move(*map)});
    }
    return std::optional<Attached>();
}

Result<void> attach(int cgroup, int prog)
{
    bpf_attr attr{};
    attr.target_fd = static_cast<uint32_t>(cgroup);
    attr.attach_bpf_fd = static_cast<uint32_t>(prog);
    attr.attach_type = BPF_CGROUP_INET4_CONNECT;
    // Beside whatever else is attached there (systemd's, Cilium's): MULTI runs them all.
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    return bpf_do(BPF_PROG_ATTACH, attr, kRedirectProgName);
}

Result<void> detach(int cgroup, int prog)
{
    bpf_attr attr{};
    attr.target_fd = static_cast<uint32_t>(cgroup);
    attr.attach_bpf_fd = static_cast<uint32_t>(prog);
    attr.attach_type = BPF_CGROUP_INET4_CONNECT;
    return bpf_do(BPF_PROG_DETACH, attr, kRedirectProgName);
}

// ---- the host ------------------------------------------------------------------------------

Result<uint64_t> host_netns_cookie()
{
    sys::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return Error::from_errno("socket(2) AF_INET", errno);
    uint64_t cookie = 0;
    socklen_t len = sizeof cookie;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) != 0)
        return Error::from_errno("getsockopt(2) SO_NETNS_COOKIE", errno);
    return cookie;
}

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
    std::istringstream in{std::string(mountinfo)};
    std::string line;
    while (std::getline(in, line)) {
        // "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"
        auto dash = line.find(" - ");
        if (dash == std::string::npos)
            continue;
        std::istringstream left(line.substr(0, dash)), right(line.substr(dash + 3));
        std::string id, parent, dev, root, point, fstype;
        left >> id >> parent >> dev >> root >> point;
        right >> fstype;
        // The hierarchy's root, not a bind mount of one of its groups.
        if (fstype == "cgroup2" && root == "/")
            return point;
    }
    return "";
}

std::set<std::pair<uint32_t, uint16_t>> parse_tcp_listeners(std::string_view proc_net_tcp)
{
    std::set<std::pair<uint32_t, uint16_t>> out;
    std::istringstream in{std::string(proc_net_tcp)};
    std::string line;
    std::getline(in, line); // the header
    while (std::getline(in, line)) {
        // "   0: 0100007F:1F90 00000000:0000 0A …": sl, local, remote, state (0A = LISTEN)
        std::istringstream f(line);
        std::string sl, local, remote, state;
        f >> sl >> local >> remote >> state;
        auto colon = local.find(':');
        if (state != "0A" || colon == std::string::npos)
            continue;
        std::string addr = local.substr(0, colon);
        uint16_t port = static_cast<uint16_t>(std::strtoul(local.c_str() + colon + 1, nullptr, 16));
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
    const uint64_t cookie = TRY_CTX(host_netns_cookie(), frame);
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
