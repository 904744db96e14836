#pragma once
/// Port short syntax → PortConfig (compose-go `types.ParsePortConfig`, go-connections
/// `nat.ParsePortSpec`): `[ip:][host[-range]:]container[-range][/proto]`, IPv6 host IPs in
/// brackets (`[::1]:80:80`), an empty host port for an ephemeral one (`127.0.0.1::80`).
/// A container range expands to one PortConfig per port; a host range against one
/// container port stays a range in `published`. Pure; thread-safe.

#include "compose/model/port.h"
#include "engine/base/result.h"

#include <string>
#include <vector>

namespace wharf::compose::loader {

/// Fails with `invalid port "<spec>": <reason>`.
Result<std::vector<PortConfig>> parse_port_spec(const std::string& spec);

} // namespace wharf::compose::loader
