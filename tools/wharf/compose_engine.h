#pragma once
/// The real compose::ComposeEngine: wharf's container engine, network, volume and image
/// stores behind compose's seam (compose/execute/engine.h). Each calling thread gets its own
/// engine::ContainerEngine (that class is single-threaded; the stores serialise processes
/// and threads alike with flock(2) on their lock files, which is per open file).
/// Starting a container forks the monitor from whichever worker thread runs the step; the
/// forked child only allocates and dups fds before exec, which glibc keeps safe after fork in
/// a threaded process (its fork handlers reset the malloc locks in the child).

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
