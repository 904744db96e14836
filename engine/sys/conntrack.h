#pragma once
/// Conntrack: the one ctnetlink operation wharf needs — forgetting the UDP flows that kernel
/// DNAT sent to a container, when its published ports go away. A UDP "connection" lives in
/// conntrack as long as packets keep coming (120 s after the last once replied), and each
/// packet of it keeps being translated to the old container address even after the rule is
/// gone; a client reusing its source port would never reach the next listener. Docker
/// clears these entries the same way. TCP is left alone: its connections end on their own.
/// Operates in the calling thread's network namespace. Not thread-safe.

#include "engine/base/result.h"

#include <cstdint>
#include <set>
#include <string>

namespace wharf::sys {

/// Deletes the IPv4 conntrack entries of UDP flows whose original destination port is in
/// `host_ports` and whose reply comes from `to_address` (i.e. DNATed to it). Returns how many
/// were deleted; entries that vanish meanwhile are not an error.
Result<int> forget_udp_dnat_flows(const std::string& to_address, const std::set<uint16_t>& host_ports);

} // namespace wharf::sys
