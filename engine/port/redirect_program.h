#pragma once
/// The socket redirect's BPF side as pure values (the kernel side: socket_redirect.h): the
/// map's key and value layouts, which published ports give which entries, who owns an entry,
/// and the cgroup connect4 program itself, hand-assembled (no clang, no libbpf).
///
/// The program, for every connect(2) of an IPv4 socket in the cgroup it is attached to:
///   not TCP                    → allow, untouched (UDP, SCTP, MPTCP stay with DNAT/proxy)
///   bound to a 127/8 source    → allow, untouched (the container could not answer it)
///   key {bpf_get_netns_cookie(ctx), ctx->user_ip4, ctx->user_port} not in the map → allow
///   found                      → ctx->user_ip4/user_port := the value's; allow
/// It never refuses a connection. Only the host's network namespace has entries (the cookie
/// is in the key), so connections made inside containers are never touched.
///
/// Addresses and ports are in network byte order in both key and value, as the kernel keeps
/// them in struct bpf_sock_addr. Change kRedirectMapName with any change to the program or
/// the layouts: a wharf of another version then recognises the attached program as not its
/// own and leaves it alone (each detaches its own once its map is empty).
/// Pure functions over values; thread-safe.

#include "engine/api/port.h"

#include <array>
#include <cstdint>
#include <linux/bpf.h>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine {

inline constexpr char kRedirectProgName[] = "wharf_connect4"; ///< < BPF_OBJ_NAME_LEN
inline constexpr char kRedirectMapName[] = "wharf_redirect";
inline constexpr uint32_t kRedirectMapEntries = 16384;

struct RedirectKey {
    uint64_t netns_cookie = 0; ///< the client's network namespace (SO_NETNS_COOKIE)
    uint32_t ip4 = 0; ///< the published address, network order
    uint16_t port = 0; ///< the published host port, network order
    uint16_t pad = 0; ///< always 0: the kernel hashes every byte of the key

    bool operator==(const RedirectKey&) const = default;
    auto operator<=>(const RedirectKey&) const = default;
};
static_assert(sizeof(RedirectKey) == 16);

struct RedirectValue {
    uint32_t ip4 = 0; ///< the container's address, network order
    uint16_t port = 0; ///< the container port, network order
    uint16_t pad = 0;
    uint32_t scope = 0; ///< redirect_scope_tag() of the state root that installed it
    uint32_t pad2 = 0;
    uint64_t owner = 0; ///< redirect_owner_tag() of that root and the container

    bool operator==(const RedirectValue&) const = default;
};
static_assert(sizeof(RedirectValue) == 24);

struct RedirectEntry {
    RedirectKey key;
    RedirectValue value;

    bool operator==(const RedirectEntry&) const = default;
};

/// The state root's scope (dnat_scope(), 8 hex digits) as the number it spells; 0 if it is
/// not one.
uint32_t redirect_scope_tag(std::string_view scope);

/// 64-bit FNV-1a of "<scope>/<container id>": one container of one state root.
uint64_t redirect_owner_tag(std::string_view scope, std::string_view container_id);

/// The entries for a container's published ports: TCP only; a port on 0.0.0.0 (or the
/// default "") or on 127.0.0.1 gives 127.0.0.1:host_port, one on another IPv4 address X gives
/// X:host_port; IPv6 listeners none. Sorted by address and port, one per key; none when `container_ip` is
/// not an IPv4 address.
std::vector<RedirectEntry> redirect_entries(uint64_t netns_cookie, std::string_view scope,
                                            std::string_view container_id, std::string_view container_ip,
                                            const std::vector<PublishedPort>& ports);

/// Whether remove(scope, container_id) deletes `value`.
bool redirect_owned_by(const RedirectValue& value, std::string_view scope, std::string_view container_id);

/// Whether sweep(scope, live_ids) deletes `value`: installed by this scope for a container not
/// in `live_ids`. Another scope's entries are never stale to it.
bool redirect_stale(const RedirectValue& value, std::string_view scope, const std::set<std::string>& live_ids);

/// "127.0.0.1:8080 -> 10.88.0.2:80" (for messages and tests).
std::string format_redirect_entry(const RedirectEntry& entry);

// ---- The program -------------------------------------------------------------------------

/// Instructions; the one 16-byte ld_imm64 is two of them.
inline constexpr size_t kConnect4ProgramLength = 26;
using Connect4Program = std::array<bpf_insn, kConnect4ProgramLength>;

/// The connect4 program, looking entries up in the map `map_fd` (BPF_PSEUDO_MAP_FD).
Connect4Program connect4_program(int map_fd);

} // namespace wharf::engine
