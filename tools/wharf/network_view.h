#pragma once
/// Networks as Docker's CLI shows them: `network inspect` documents, `network ls` rows (ID,
/// Name, Driver, Scope, IPv6, Internal, Labels, CreatedAt) and the `ls` filters. Pure.

#include "engine/base/result.h"
#include "engine/network/network.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace wharf::cli {

nlohmann::ordered_json network_inspect_json(const engine::NetworkRecord& n);
nlohmann::ordered_json network_row(const engine::NetworkRecord& n, bool no_trunc);

/// `network ls --filter`: driver=, id= (prefix), label=k[=v], name= (substring),
/// type=custom|builtin, dangling=true|false. Invalid for unknown keys or values.
Result<bool> network_matches(const engine::NetworkRecord& n, const std::vector<std::string>& filters);

/// Go's time.Time.String() of an RFC 3339 time, in UTC: "2026-01-02 03:04:05.123456789 +0000 UTC".
std::string go_time_string(const std::string& rfc3339);

} // namespace wharf::cli
