#pragma once
// One behaviour suite for every compose::ComposeEngine: the fake (unit tests) and the real
// adapter (priv tests) must both pass it, so the fake cannot drift from the engine.
#include "compose/execute/engine.h"

#include <string>

namespace wharf::compose::test {

/// Runs the suite with doctest checks. `image` must be present in the engine; every name
/// made starts with `prefix` (unique per run), and everything made is removed again.
void check_compose_engine_conformance(ComposeEngine& engine, const std::string& image, const std::string& prefix);

} // namespace wharf::compose::test
