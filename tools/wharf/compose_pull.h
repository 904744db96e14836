#pragma once
/// Pulling the images of services from their registries through the engine's
/// pull_image() (engine/registry/pull.h): `compose pull`, `up --pull always`, and `up`
/// pulling a missing image (pull_policy missing, the default). Services with a `build:`
/// section and no image present are left to the builder; `pull_policy: never` and
/// `build` are never pulled. Not thread-safe.

#include "tools/wharf/compose_session.h"

#include <string>
#include <vector>

namespace wharf::cli {

struct ComposePullOptions {
    std::vector<std::string> services; ///< empty: all
    bool only_missing = true;          ///< false: pull even what is present (`compose pull`, --pull always)
    bool ignore_failures = false;
    bool quiet = false;
    std::string progress = "auto";
};

/// Stops at the first failure (`service "web": pull 127.0.0.1:5000/app:1: …`) unless
/// ignore_failures, which turns failures into warnings.
Result<void> pull_services(ComposeSession& session, const Context& ctx, const ComposePullOptions& options);

} // namespace wharf::cli
