#pragma once
/// Bpf: one wrapper per bpf(2) command wharf uses (no libbpf: the socket redirect's one
/// program is hand-assembled, see engine/port/redirect_program.h), plus the SO_NETNS_COOKIE
/// socket option whose value bpf_get_netns_cookie() returns inside a program.
///
/// Maps: create, and lookup/update/delete/get-next-key over raw key and value bytes; each
/// span must be exactly the map's key_size or value_size (the kernel reads and writes that
/// many bytes, it cannot check). Programs: load (the verifier's log in the error when it
/// refuses), attach to and detach from a cgroup, query which are attached there. Objects
/// found by id (another process's program and map) and their info.
///
/// Every call retries EINTR. Every failure names the command and the subject the caller
/// gives, errno text last: `bpf(2) BPF_MAP_CREATE wharf_redirect: Operation not permitted`
/// (an empty subject is left out). A missing key or id is not an error but a `false` or an
/// empty optional. Names (maps, programs) are cut to BPF_OBJ_NAME_LEN - 1 = 15 characters
/// (the kernel keeps no more, and refuses a longer one). Thread-safe: no state besides the
/// caller's fds.

#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <cstddef>
#include <cstdint>
#include <linux/bpf.h>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::sys {

/// "BPF_PROG_LOAD" for the commands wrapped here, "?" for any other.
const char* bpf_command_name(int cmd);

/// The verifier's log on one line for an error message: trailing newlines and NULs gone,
/// the others as ';', only its last 600 bytes (where the reason is) after a "…".
std::string bpf_verifier_summary(std::string log);

/// The bytes of one key or value, for the map calls: bpf_bytes(key).
template <typename T> std::span<const std::byte> bpf_bytes(const T& v)
{
    return std::as_bytes(std::span<const T, 1>(&v, 1));
}
template <typename T> std::span<std::byte> bpf_writable_bytes(T& v)
{
    return std::as_writable_bytes(std::span<T, 1>(&v, 1));
}

// ---- maps ----------------------------------------------------------------------------------

struct BpfMapSpec {
    bpf_map_type type = BPF_MAP_TYPE_HASH;
    uint32_t key_size = 0;
    uint32_t value_size = 0;
    uint32_t max_entries = 0;
    uint32_t flags = 0; ///< BPF_F_NO_PREALLOC, …
    std::string name;   ///< also the subject of the error
};
/// BPF_MAP_CREATE.
Result<UniqueFd> bpf_map_create(const BpfMapSpec& spec);

/// BPF_MAP_LOOKUP_ELEM: true with `value` filled, false when the map has no such key.
Result<bool> bpf_map_lookup(int map, std::span<const std::byte> key, std::span<std::byte> value,
                            std::string_view subject);
/// BPF_MAP_UPDATE_ELEM with `flags` BPF_ANY, BPF_NOEXIST or BPF_EXIST.
Result<void> bpf_map_update(int map, std::span<const std::byte> key, std::span<const std::byte> value,
                            uint64_t flags, std::string_view subject);
/// BPF_MAP_DELETE_ELEM: true when it deleted, false when there was no such key.
Result<bool> bpf_map_delete(int map, std::span<const std::byte> key, std::string_view subject);
/// BPF_MAP_GET_NEXT_KEY: true with `next` filled with the key after `key` (after none, the
/// first one, when `key` is empty), false past the last. Order is the map's own; a key
/// deleted under the walk makes the kernel start again from the first.
Result<bool> bpf_map_next_key(int map, std::span<const std::byte> key, std::span<std::byte> next,
                              std::string_view subject);

// ---- programs ------------------------------------------------------------------------------

struct BpfProgSpec {
    bpf_prog_type type = BPF_PROG_TYPE_UNSPEC;
    bpf_attach_type expected_attach_type = static_cast<bpf_attach_type>(0);
    std::span<const bpf_insn> insns;
    /// The kernel asks every program for one; it only gates GPL-only helpers.
    std::string license = "GPL";
    std::string name; ///< also the subject of the error
};
/// BPF_PROG_LOAD. When the kernel refuses, it is asked again with the verifier's log (not
/// the first time: the log costs a copy of every line), and the error carries it:
/// `bpf(2) BPF_PROG_LOAD wharf_connect4 (verifier: …; R0 invalid mem access 'map_value_or_null'): Permission denied`.
/// Accepted the second time (a transient failure), the program is taken.
Result<UniqueFd> bpf_prog_load(const BpfProgSpec& spec);

/// BPF_PROG_ATTACH of `prog` to the cgroup directory `cgroup` (an open fd) with `flags`
/// (BPF_F_ALLOW_MULTI, …).
Result<void> bpf_prog_attach(int cgroup, int prog, bpf_attach_type type, uint32_t flags, std::string_view subject);
/// BPF_PROG_DETACH of `prog` from `cgroup`.
Result<void> bpf_prog_detach(int cgroup, int prog, bpf_attach_type type, std::string_view subject);
/// BPF_PROG_QUERY: the ids of the programs attached to `cgroup` itself for `type` (not those
/// inherited from its parents), in the kernel's order.
Result<std::vector<uint32_t>> bpf_prog_query(int cgroup, bpf_attach_type type, std::string_view subject);

// ---- objects by id -------------------------------------------------------------------------

/// BPF_PROG_GET_FD_BY_ID and BPF_MAP_GET_FD_BY_ID: none when no object has that id (any more).
Result<std::optional<UniqueFd>> bpf_prog_get_fd_by_id(uint32_t id, std::string_view subject);
Result<std::optional<UniqueFd>> bpf_map_get_fd_by_id(uint32_t id, std::string_view subject);

struct BpfProgInfo {
    uint32_t id = 0;
    uint32_t type = 0; ///< bpf_prog_type
    std::string name;
    std::vector<uint32_t> map_ids; ///< every map the program uses
};
/// BPF_OBJ_GET_INFO_BY_FD on a program.
Result<BpfProgInfo> bpf_prog_get_info(int prog, std::string_view subject);

struct BpfMapInfo {
    uint32_t id = 0;
    uint32_t type = 0; ///< bpf_map_type
    uint32_t key_size = 0;
    uint32_t value_size = 0;
    uint32_t max_entries = 0;
    uint32_t flags = 0;
    std::string name;
};
/// BPF_OBJ_GET_INFO_BY_FD on a map.
Result<BpfMapInfo> bpf_map_get_info(int map, std::string_view subject);

// ---- network namespace cookies -------------------------------------------------------------

/// The cookie of the network namespace socket `fd` lives in (getsockopt SO_NETNS_COOKIE,
/// Linux 5.14): what bpf_get_netns_cookie() returns for its connections.
Result<uint64_t> socket_netns_cookie(int fd);
/// That of the calling thread's network namespace, read from a throwaway UDP socket.
Result<uint64_t> netns_cookie();

} // namespace wharf::sys
