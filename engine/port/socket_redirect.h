#pragma once
/// Socket-level redirection of published TCP ports for host-local clients, in front of the
/// kernel DNAT rules (port_dnat.h), as Cilium's socket load balancer does: a cgroup connect4
/// BPF program rewrites the destination of connect(2) from a published address:port
/// (127.0.0.1:8080) to the container's (10.88.0.2:80), so loopback clients talk to the
/// container directly and none of their packets is NATed. Other hosts, containers, UDP,
/// SCTP and IPv6 go through DNAT and the proxy as before, and so do clients bound to a
/// loopback source and IPv6 sockets connecting to ::ffff:127.0.0.1 (the connect6 hook is not
/// used). A redirected client's getpeername() names the container's address and port, not
/// the published ones (Cilium hides that with a getpeername4 program; not done here). The
/// program, the map's layout and which ports get entries: redirect_program.h.
///
/// One program and one map for the whole host, shared by every state root (host ports are
/// unique: each one's listener is held by a monitor): attached with BPF_F_ALLOW_MULTI to the
/// root of the cgroup2 hierarchy, found again from any process by BPF_PROG_QUERY and its
/// name. All state is in the kernel (an attached program outlives the process that attached
/// it; no bpffs pin), so these calls may come from short-lived processes. Each takes an
/// exclusive flock on kSocketRedirectLock for its whole duration, so that an install never
/// writes into a map another process is detaching; safe from several processes at once.
///
///   install  replaces the container's entries with ones for `ports` (TCP, IPv4 host
///            addresses; 0.0.0.0 gives 127.0.0.1), loading and attaching the program first
///            if it is not attached. Nothing to do (no such port) touches no BPF. Fails,
///            leaving none of its entries, when BPF is unusable here: no cgroup2 mount, no
///            CAP_BPF/CAP_SYS_ADMIN, a kernel without SO_NETNS_COOKIE (5.14) or
///            bpf_get_netns_cookie for this hook (5.7), a verifier rejection (its log is in
///            the error), a full map. Callers log it and keep DNAT alone.
///   remove   deletes the container's entries.
///   sweep    deletes those of this scope whose container is not in `live_ids` (their
///            monitor died), and those of any scope whose published port nothing on the host
///            listens on any more (a live container's is held by its monitor from before
///            install to after remove): a state root deleted after its monitor was SIGKILLed
///            would otherwise leave them for good, and redirect a host service that later
///            takes the port away from it.
/// remove and sweep detach the program once the map is empty, so nothing is left on the host
/// when the last container with a redirected port is gone; both are fine when nothing is
/// attached.
/// `scope` is dnat_scope() of the canonical state root, as port_dnat.cpp computes it.

#include "engine/api/port.h"
#include "engine/base/result.h"
#include "engine/port/redirect_program.h"
#include "engine/sys/fd.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wharf::engine {

inline constexpr char kSocketRedirectLock[] = "/run/lock/wharf-socket-redirect.lock";

Result<void> install_socket_redirect(std::string_view scope, std::string_view container_id,
                                     std::string_view container_ip, const std::vector<PublishedPort>& ports);
Result<void> remove_socket_redirect(std::string_view scope, std::string_view container_id);
/// The number of entries removed.
Result<int> sweep_socket_redirect(std::string_view scope, const std::set<std::string>& live_ids);

/// What is in force on the host: whether this wharf's program is attached, and its map's
/// entries (sorted by format_redirect_entry()). For tests and debugging.
struct SocketRedirectState {
    bool attached = false;
    std::vector<RedirectEntry> entries;
};
Result<SocketRedirectState> socket_redirect_state();

/// install()'s first steps when nothing is attached, for tests: a new, empty map, and
/// `program` loaded as a connect4 program (not attached) — the fd, or an error carrying the
/// verifier's log. install() loads connect4_program(); tests hand in broken ones too.
Result<sys::UniqueFd> create_redirect_map();
Result<sys::UniqueFd> load_connect4_program(const Connect4Program& program);

/// WHARF_SOCKET_REDIRECT=0 (or false/no) in the environment: install nothing, leaving
/// host-local clients to DNAT (for comparison, and for hosts where BPF is unwanted).
/// remove and sweep still clean up.
bool socket_redirect_disabled();

/// Where the cgroup2 hierarchy's root is mounted, from /proc/self/mountinfo's text:
/// "/sys/fs/cgroup" on unified hosts, "/sys/fs/cgroup/unified" on hybrid ones; "" if none.
std::string cgroup2_root_mount(std::string_view mountinfo);

/// The listening sockets in /proc/net/tcp's (or tcp6's) text: {IPv4 address in network
/// order, port}; a dual-stack [::] listener as address 0, ::ffff:a.b.c.d as a.b.c.d, other
/// IPv6 addresses left out. sweep counts an entry whose port has none as stale.
std::set<std::pair<uint32_t, uint16_t>> parse_tcp_listeners(std::string_view proc_net_tcp);

} // namespace wharf::engine
