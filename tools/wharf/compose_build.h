#pragma once
/// Building the images of services with a `build:` section, through the engine's
/// build_image() (engine/build/build.h): `compose build`, `up --build`, and `up` when a
/// built service's image is missing. The image is tagged `image:` (else
/// `<project>-<service>`) plus `build.tags`; a rebuilt image has a new ID, so the next
/// reconcile recreates the service's containers ("image changed"). Not thread-safe.

#include "tools/wharf/compose_session.h"

#include <string>
#include <vector>

namespace wharf::cli {

struct ComposeBuildOptions {
    std::vector<std::string> services; ///< empty: all (with a build section)
    bool only_missing = false;         ///< skip services whose image is present
    bool no_cache = false;
    bool pull = false;
    bool quiet = false;
    std::string progress = "auto";
    std::vector<std::string> build_args; ///< --build-arg K=V (overrides build.args)
};

/// Builds in dependency order; stops at the first failure (`service "web": build: …`).
Result<void> build_services(ComposeSession& session, const Context& ctx, const ComposeBuildOptions& options);

} // namespace wharf::cli
