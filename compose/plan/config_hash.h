#pragma once
/// The config hash of a service: what decides "recreate or keep". sha256 over a versioned
/// prefix and the canonical service JSON (compose/model/serialize.h) with the fields that
/// never require a recreate blanked — build, pull_policy, scale, deploy.replicas,
/// depends_on, profiles — as docker compose's ServiceHash does.
///
/// The version is part of the input and recorded on the container: a wharf upgrade that
/// changes the canonical form bumps it, and containers hashed with another version are
/// compared field by field (changed_fields) instead of by hash, so an upgrade alone never
/// recreates everything. Pure; thread-safe.

#include "compose/model/service.h"

#include <string>
#include <vector>

namespace wharf::compose {

inline constexpr int kConfigHashVersion = 1;

/// The service as hashed: compact JSON, blanked fields removed.
std::string canonical_service_json(const ServiceConfig& service);
/// sha256 hex of "wharf-config-hash/<version>\n" + canonical_service_json().
std::string config_hash(const ServiceConfig& service);
/// The attributes that differ between two canonical_service_json() texts, sorted:
/// top-level keys ("command", "ports"), one level deeper for mappings ("environment.DEBUG",
/// "healthcheck.interval"). An unparsable text differs in "*".
std::vector<std::string> changed_fields(const std::string& old_json, const std::string& new_json);

} // namespace wharf::compose
