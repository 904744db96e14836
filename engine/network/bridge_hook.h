#pragma once
/// The network layer's NetworkHook: joins a container to its bridge networks through
/// ContainerNetwork (veths, addresses, published-port proxies, embedded DNS) when its monitor
/// starts it, and undoes all of it when the init exits.
///
/// Which networks: `config.networks` in order when given (Compose, `--network a --network b`),
/// else the one `config.network_mode` names ("bridge" = the default network). Ports: the
/// `-p` specs plus, with `-P`, every exposed port. `--dns` servers become the embedded DNS's
/// upstreams. Install it with install_bridge_network_hook() (the CLI does, at start-up).

#include "engine/container/network_hook.h"

namespace wharf::engine {

/// Makes the monitor use the bridge hook for every container not in "none"/"host" mode.
void install_bridge_network_hook();

} // namespace wharf::engine
