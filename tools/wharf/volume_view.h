#pragma once
/// Volumes as Docker's CLI shows them: `volume inspect` documents and `volume ls` rows
/// (fields Driver, Name, Scope, Mountpoint, Labels, Links, Size, …), and the `ls` filters.
/// Pure.

#include "engine/api/volume.h"
#include "engine/base/result.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace wharf::cli {

/// The label Docker puts on volumes made for anonymous mounts.
inline constexpr const char* kAnonymousVolumeLabel = "com.docker.volume.anonymous";

/// `docker volume inspect`'s object: CreatedAt (RFC 3339, seconds), Driver, Labels,
/// Mountpoint, Name, Options, Scope.
nlohmann::ordered_json volume_inspect_json(const engine::Volume& v);
/// One `volume ls` row.
nlohmann::ordered_json volume_row(const engine::Volume& v);

/// `volume ls --filter`: dangling=true|false, driver=, label=k[=v], name= (substring).
/// `in_use` says whether a container uses the volume. Invalid for unknown keys.
Result<bool> volume_matches(const engine::Volume& v, bool in_use, const std::vector<std::string>& filters);

} // namespace wharf::cli
