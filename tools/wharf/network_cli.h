#pragma once
/// Helpers shared by the network verbs: the store of the current root, and which networks
/// containers of that root name (a network a container is configured for counts as used).

#include "engine/network/network_store.h"
#include "tools/wharf/verb.h"

#include <set>
#include <string>

namespace wharf::cli {

Result<engine::NetworkStore> open_network_store(const Context& ctx);
/// Names of the networks any container (in any state) of the root is configured to join.
std::set<std::string> networks_in_use(const Context& ctx);

} // namespace wharf::cli
