// Compose verbs wharf does not have yet: they fail clearly instead of pretending.
#include "tools/wharf/compose_session.h"

#include <algorithm>
#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup_unsupported(CLI::App& cmd, Context&, const std::string& verb)
{
    auto rest = std::make_shared<std::vector<std::string>>();
    cmd.allow_extras();
    cmd.add_option("args", *rest, "Arguments");
    return [verb] { return report(Error(Errc::Invalid, "compose " + verb + ": not yet supported by wharf")); };
}

#define WHARF_UNSUPPORTED(var, verb, text)                                                          \
    VerbRegistration var{{.parent = "compose", .name = verb, .aliases = {}, .help = text " (not yet supported)",     \
                          .setup = [](CLI::App& c, Context& x) { return setup_unsupported(c, x, verb); }}}
WHARF_UNSUPPORTED(r3, "push", "Push service images");
WHARF_UNSUPPORTED(r4, "pause", "Pause services");
WHARF_UNSUPPORTED(r5, "unpause", "Unpause services");
WHARF_UNSUPPORTED(r6, "top", "Display the running processes");
WHARF_UNSUPPORTED(r7, "events", "Receive real time events from containers");
WHARF_UNSUPPORTED(r8, "cp", "Copy files/folders between a service container and the local filesystem");
#undef WHARF_UNSUPPORTED

} // namespace
} // namespace wharf::cli
