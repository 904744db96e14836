#pragma once
/// The canonical text of a Project, as `docker compose config` prints it: YAML (default)
/// or JSON with docker compose's field names, order and value types (ports with
/// `published` as a string, durations as Go text, byte sizes as strings of digits).
/// Deterministic: maps are sorted, fields come in compose-go's order, so the output is
/// byte-stable and loading it again yields the same Project (a fixed point).
///
/// Also the service config hash (`com.docker.compose.config-hash`). Pure; thread-safe.

#include "compose/model/project.h"

#include <string>

namespace wharf::compose {

struct RenderOptions {
    /// Write `$` as `$$` in strings, so that loading the output again (which interpolates)
    /// gives back the same values; off for `config --no-interpolate`.
    bool escape_dollar = true;
};

std::string to_yaml(const Project& p, const RenderOptions& options = {});
std::string to_json(const Project& p, const RenderOptions& options = {});

/// One service alone, as `to_json` renders it (compact).
std::string service_json(const ServiceConfig& s);

/// A YAML rendering of any Value tree (used for `x-*` extensions and by tools).
std::string value_to_yaml(const Value& v);

} // namespace wharf::compose
