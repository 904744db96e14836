#pragma once
/// `wharf __port-dnat …`: the kernel DNAT fast path applied for a container's monitor, which
/// cannot load libnftables itself (engine/port/dnat_process.h has the requests). Hidden: run
/// by the engine, not by users; dispatched before the verb parser, which it does not need.

#include <string>
#include <vector>

namespace wharf::cli {

inline constexpr const char* kPortDnatVerb = "__port-dnat";

/// `args` are the arguments after "__port-dnat". Returns the exit code: 0 once the change is
/// in force, 1 with the error's summary on stderr.
int run_port_dnat_helper(const std::vector<std::string>& args);

} // namespace wharf::cli
