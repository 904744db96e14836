#pragma once
/// The kernel DNAT fast path (engine/port/port_dnat.h) applied from a short-lived
/// `wharf __port-dnat` process rather than from the container's monitor. The monitor is a
/// static executable, kept small because one runs per container; it cannot load
/// libnftables, and the rules are a few transactions per container lifetime. `wharf`,
/// installed beside the monitor, can. The requests, as the helper's argv:
///
///   wharf __port-dnat install ROOT ID ADDRESS SUBNET BRIDGE MAPPING...
///                     (MAPPING as format_port_mapping: "127.0.0.1:8080->80/tcp"; the
///                      helper first sweeps the rules of ROOT's containers that have no
///                      endpoint any more, whose monitor died without removing them)
///   wharf __port-dnat remove ROOT ID
///
/// The helper exits 0 once the change is in force; otherwise it prints the error's summary
/// on stderr and exits 1. Building and parsing the argv are pure functions.

#include "engine/api/port.h"
#include "engine/base/result.h"
#include "engine/port/port_dnat.h"

#include <string>
#include <vector>

namespace wharf::engine {

/// One request to the helper, as both sides see it.
struct DnatRequest {
    enum class Kind { Install, Remove };
    Kind kind = Kind::Install;
    std::string state_root;
    std::string container_id;
    DnatTarget target;                 ///< install only
    std::vector<PublishedPort> ports;  ///< install only
};

/// The helper's argv, after the binary: {"__port-dnat", "install", ROOT, ID, …}.
std::vector<std::string> dnat_request_args(const DnatRequest& request);
/// The reverse of dnat_request_args() (the arguments after "__port-dnat"); Invalid with
/// the helper's usage for anything else.
Result<DnatRequest> parse_dnat_request(const std::vector<std::string>& args);

/// Runs `wharf_binary __port-dnat …` for `request` and waits for it (at most 30 s). The
/// error is the helper's own message when it printed one; on success what it printed (its
/// WHARF_DEBUG lines) goes to this process's stderr.
Result<void> run_dnat_helper(const std::string& wharf_binary, const DnatRequest& request);

/// WHARF_USERLAND_PROXY=1 (or true/yes) in the environment: forward through the proxy only,
/// as Docker's userland-proxy=true does (for comparison and for hosts where NAT is unwanted).
bool userland_proxy_forced();

/// The `wharf` binary beside the running executable (`wharf-monitor`'s sibling).
Result<std::string> wharf_beside_self();

} // namespace wharf::engine
