#pragma once
/// The real compose::ComposeEngine: wharf's container engine, network, volume and image
/// stores behind compose's seam (compose/execute/engine.h). Each calling thread gets its own
/// engine::ContainerEngine (that class is single-threaded; the stores serialise processes
/// and threads alike with flock(2) on their lock files, which is per open file).

#include "compose/execute/engine.h"
#include "tools/wharf/verb.h"

#include <memory>

namespace wharf::cli {

/// Opens the engine at the CLI's root (--root / WHARF_ROOT).
Result<std::unique_ptr<compose::ComposeEngine>> open_compose_engine(const Context& ctx);
/// The same for a given state root (tests).
Result<std::unique_ptr<compose::ComposeEngine>> open_compose_engine(const std::string& root,
                                                                     const std::string& wharf_binary = {});

} // namespace wharf::cli
