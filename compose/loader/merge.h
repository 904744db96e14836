#pragma once
/// Merging compose files (`-f a -f b`, overrides, `extends`, `include`) by the Compose rules
/// (compose-go `override/merge.go`), on Node trees so marks survive:
/// - mappings deep-merge, scalars are replaced by the later file;
/// - `command`, `entrypoint`, `healthcheck.test`, each `ulimits.<name>` are replaced whole;
///   `logging` is replaced when the driver differs;
/// - `environment`, `labels`, `annotations`, `sysctls`, `build.args`, `build.labels`,
///   `extra_hosts` … merge as mappings (list forms converted first);
/// - `volumes`, `devices`, `secrets`, `configs` are keyed by container target;
/// - `ports` append, exact duplicates dropped; `dns*`, `cap_*`, `expose`, `profiles`,
///   `tmpfs`, `env_file`, `links`, `security_opt` append unique;
/// - `depends_on`, service `networks`, `build` are converted to mappings and deep-merged;
/// - `!reset` removes the inherited value, `!override` replaces without merging.
///
/// Pure; thread-safe.

#include "compose/loader/node.h"

namespace wharf::compose::loader {

/// Merges a whole file tree `over` into `base` (top-level keys, services, networks, …).
void merge_project(Node& base, const Node& over);

/// Merges one service definition `over` into `base` (also what `extends` does).
void merge_service(Node& base, const Node& over);

/// Removes every `!reset` node left after merging (a reset with nothing to reset).
void strip_reset(Node& n);

/// `["A=1", "B"]` → `{A: "1", B: null}`; a mapping is returned as is. Items keep marks.
Node list_to_map(const Node& n, char sep = '=');

} // namespace wharf::compose::loader
