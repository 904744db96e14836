#include "engine/sys/bpf.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71 // asm-generic/socket.h since 5.14; older libc headers lack it
#endif

namespace wharf::sys {

namespace {

/// bpf(2), retrying EINTR; -1 with errno set on failure. The kernel writes some answers
/// (BPF_PROG_QUERY's count) back into `attr`.
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
    std::string call = std::string("bpf(2) ") + bpf_command_name(cmd);
    if (!subject.empty())
        call += " " + std::string(subject);
    return Error::from_errno(std::move(call), err);
}

/// A command that returns a new fd.
Result<UniqueFd> bpf_fd(int cmd, bpf_attr& attr, std::string_view subject)
{
    long fd = bpf(cmd, attr);
    if (fd < 0)
        return bpf_error(cmd, subject, errno);
    return UniqueFd(static_cast<int>(fd));
}

Result<void> bpf_do(int cmd, bpf_attr& attr, std::string_view subject)
{
    if (bpf(cmd, attr) < 0)
        return bpf_error(cmd, subject, errno);
    return ok();
}

/// A command for which ENOENT (no such key, no such id) is an answer: false.
Result<bool> bpf_found(int cmd, bpf_attr& attr, std::string_view subject)
{
    if (bpf(cmd, attr) == 0)
        return true;
    if (errno == ENOENT)
        return false;
    return bpf_error(cmd, subject, errno);
}

uint64_t ptr(const void* p)
{
    return reinterpret_cast<uintptr_t>(p);
}

/// Into a fixed char[BPF_OBJ_NAME_LEN], NUL-terminated (the kernel refuses an unterminated one).
template <size_t N> void set_name(char (&dst)[N], std::string_view name)
{
    const size_t n = std::min(name.size(), N - 1);
    std::memcpy(dst, name.data(), n);
    dst[n] = '\0';
}

template <size_t N> std::string get_name(const char (&src)[N])
{
    return std::string(src, strnlen(src, N));
}

Result<std::optional<UniqueFd>> fd_by_id(int cmd, bpf_attr& attr, std::string_view subject)
{
    long fd = bpf(cmd, attr);
    if (fd >= 0)
        return std::optional<UniqueFd>(UniqueFd(static_cast<int>(fd)));
    if (errno == ENOENT)
        return std::optional<UniqueFd>();
    return bpf_error(cmd, subject, errno);
}

} // namespace

const char* bpf_command_name(int cmd)
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

std::string bpf_verifier_summary(std::string log)
{
    while (!log.empty() && (log.back() == '\n' || log.back() == '\0'))
        log.pop_back();
    for (char& c : log)
        if (c == '\n')
            c = ';';
    constexpr size_t keep = 600;
    return log.size() > keep ? "…" + log.substr(log.size() - keep) : log;
}

// ---- maps ----------------------------------------------------------------------------------

Result<UniqueFd> bpf_map_create(const BpfMapSpec& spec)
{
    bpf_attr attr{};
    attr.map_type = spec.type;
    attr.key_size = spec.key_size;
    attr.value_size = spec.value_size;
    attr.max_entries = spec.max_entries;
    attr.map_flags = spec.flags;
    set_name(attr.map_name, spec.name);
    return bpf_fd(BPF_MAP_CREATE, attr, spec.name);
}

Result<bool> bpf_map_lookup(int map, std::span<const std::byte> key, std::span<std::byte> value,
                            std::string_view subject)
{
    bpf_attr attr{};
    attr.map_fd = static_cast<uint32_t>(map);
    attr.key = ptr(key.data());
    attr.value = ptr(value.data());
    return bpf_found(BPF_MAP_LOOKUP_ELEM, attr, subject);
}

Result<void> bpf_map_update(int map, std::span<const std::byte> key, std::span<const std::byte> value,
                            uint64_t flags, std::string_view subject)
{
    bpf_attr attr{};
    attr.map_fd = static_cast<uint32_t>(map);
    attr.key = ptr(key.data());
    attr.value = ptr(value.data());
    attr.flags = flags;
    return bpf_do(BPF_MAP_UPDATE_ELEM, attr, subject);
}

Result<bool> bpf_map_delete(int map, std::span<const std::byte> key, std::string_view subject)
{
    bpf_attr attr{};
    attr.map_fd = static_cast<uint32_t>(map);
    attr.key = ptr(key.data());
    return bpf_found(BPF_MAP_DELETE_ELEM, attr, subject);
}

Result<bool> bpf_map_next_key(int map, std::span<const std::byte> key, std::span<std::byte> next,
                              std::string_view subject)
{
    bpf_attr attr{};
    attr.map_fd = static_cast<uint32_t>(map);
    attr.key = key.empty() ? 0 : ptr(key.data()); // NULL: the first key
    attr.next_key = ptr(next.data());
    return bpf_found(BPF_MAP_GET_NEXT_KEY, attr, subject);
}

// ---- programs ------------------------------------------------------------------------------

Result<UniqueFd> bpf_prog_load(const BpfProgSpec& spec)
{
    auto load = [&](uint32_t log_level, char* log, uint32_t log_size) {
        bpf_attr attr{};
        attr.prog_type = spec.type;
        attr.expected_attach_type = spec.expected_attach_type;
        attr.insns = ptr(spec.insns.data());
        attr.insn_cnt = static_cast<uint32_t>(spec.insns.size());
        attr.license = ptr(spec.license.c_str());
        attr.log_level = log_level;
        attr.log_buf = ptr(log);
        attr.log_size = log_size;
        set_name(attr.prog_name, spec.name);
        return bpf(BPF_PROG_LOAD, attr);
    };
    long fd = load(0, nullptr, 0);
    if (fd >= 0)
        return UniqueFd(static_cast<int>(fd));
    const int err = errno;
    std::string log(64 * 1024, '\0');
    fd = load(1, log.data(), static_cast<uint32_t>(log.size()));
    if (fd >= 0)
        return UniqueFd(static_cast<int>(fd));
    log.resize(std::strlen(log.c_str()));
    std::string subject = spec.name;
    if (!log.empty())
        subject += " (verifier: " + bpf_verifier_summary(std::move(log)) + ")";
    return bpf_error(BPF_PROG_LOAD, subject, err);
}

Result<void> bpf_prog_attach(int cgroup, int prog, bpf_attach_type type, uint32_t flags, std::string_view subject)
{
    bpf_attr attr{};
    attr.target_fd = static_cast<uint32_t>(cgroup);
    attr.attach_bpf_fd = static_cast<uint32_t>(prog);
    attr.attach_type = type;
    attr.attach_flags = flags;
    return bpf_do(BPF_PROG_ATTACH, attr, subject);
}

Result<void> bpf_prog_detach(int cgroup, int prog, bpf_attach_type type, std::string_view subject)
{
    bpf_attr attr{};
    attr.target_fd = static_cast<uint32_t>(cgroup);
    attr.attach_bpf_fd = static_cast<uint32_t>(prog);
    attr.attach_type = type;
    return bpf_do(BPF_PROG_DETACH, attr, subject);
}

Result<std::vector<uint32_t>> bpf_prog_query(int cgroup, bpf_attach_type type, std::string_view subject)
{
    std::vector<uint32_t> ids(8);
    for (;;) {
        bpf_attr attr{};
        attr.query.target_fd = static_cast<uint32_t>(cgroup);
        attr.query.attach_type = type;
        attr.query.prog_ids = ptr(ids.data());
        attr.query.prog_cnt = static_cast<uint32_t>(ids.size());
        if (bpf(BPF_PROG_QUERY, attr) == 0) {
            ids.resize(attr.query.prog_cnt);
            return ids;
        }
        if (errno != ENOSPC) // ENOSPC: more programs than ids; prog_cnt says how many
            return bpf_error(BPF_PROG_QUERY, subject, errno);
        ids.resize(attr.query.prog_cnt + 8);
    }
}

// ---- objects by id -------------------------------------------------------------------------

Result<std::optional<UniqueFd>> bpf_prog_get_fd_by_id(uint32_t id, std::string_view subject)
{
    bpf_attr attr{};
    attr.prog_id = id;
    return fd_by_id(BPF_PROG_GET_FD_BY_ID, attr, subject);
}

Result<std::optional<UniqueFd>> bpf_map_get_fd_by_id(uint32_t id, std::string_view subject)
{
    bpf_attr attr{};
    attr.map_id = id;
    return fd_by_id(BPF_MAP_GET_FD_BY_ID, attr, subject);
}

Result<BpfProgInfo> bpf_prog_get_info(int prog, std::string_view subject)
{
    // The kernel fills as many map ids as there is room for and says how many there are:
    // asked again with room for all when they did not fit.
    std::vector<uint32_t> map_ids(4);
    for (;;) {
        bpf_prog_info info{};
        info.nr_map_ids = static_cast<uint32_t>(map_ids.size());
        info.map_ids = ptr(map_ids.data());
        bpf_attr attr{};
        attr.info.bpf_fd = static_cast<uint32_t>(prog);
        attr.info.info_len = sizeof info;
        attr.info.info = ptr(&info);
        TRY(bpf_do(BPF_OBJ_GET_INFO_BY_FD, attr, subject));
        if (info.nr_map_ids > map_ids.size()) {
            map_ids.resize(info.nr_map_ids);
            continue;
        }
        map_ids.resize(info.nr_map_ids);
        return BpfProgInfo{info.id, info.type, get_name(info.name), std::move(map_ids)};
    }
}

Result<BpfMapInfo> bpf_map_get_info(int map, std::string_view subject)
{
    bpf_map_info info{};
    bpf_attr attr{};
    attr.info.bpf_fd = static_cast<uint32_t>(map);
    attr.info.info_len = sizeof info;
    attr.info.info = ptr(&info);
    TRY(bpf_do(BPF_OBJ_GET_INFO_BY_FD, attr, subject));
    return BpfMapInfo{info.id,          info.type,      info.key_size, info.value_size,
                      info.max_entries, info.map_flags, get_name(info.name)};
}

// ---- network namespace cookies -------------------------------------------------------------

Result<uint64_t> socket_netns_cookie(int fd)
{
    uint64_t cookie = 0;
    socklen_t len = sizeof cookie;
    int r;
    do
        r = ::getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len);
    while (r != 0 && errno == EINTR);
    if (r != 0)
        return Error::from_errno("getsockopt(2) SO_NETNS_COOKIE", errno);
    return cookie;
}

Result<uint64_t> netns_cookie()
{
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return Error::from_errno("socket(2) AF_INET", errno);
    return socket_netns_cookie(fd.get());
}

} // namespace wharf::sys
