#pragma once
/// Preflight: everything that can be checked before the first change, so that a failing
/// `up` leaves the machine as it found it:
///   - every image a new container needs is present ("image … not found locally");
///   - bind sources that must exist (long syntax, create_host_path: false) exist;
///   - published host ports are free — except those held by containers this plan removes
///     first — and no two new containers ask for the same one; a taken port names its holder.
/// Returns the first problem found, with the service in context.

#include "compose/execute/engine.h"

namespace wharf::compose {

Result<void> preflight(const Plan& plan, const ObservedState& observed, ComposeEngine& engine);

} // namespace wharf::compose
