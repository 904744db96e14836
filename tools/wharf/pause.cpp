// `wharf pause CONTAINER...` and `wharf unpause CONTAINER...`: freeze and thaw every process
// of the containers (engine: cgroup freezer). Prints each name as given; a container that
// is not running / not paused is reported with Docker's text, the others still done.
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

template <bool Pause>
VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto names = std::make_shared<std::vector<std::string>>();
    cmd.add_option("containers", *names, "CONTAINER")->required();
    return [names, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        int rc = 0;
        for (const auto& n : *names) {
            auto r = Pause ? eng->pause(n) : eng->unpause(n);
            if (!r) {
                report(r.error());
                rc = 1;
                continue;
            }
            std::cout << n << "\n";
        }
        return rc;
    };
}

constexpr const char* kPauseHelp = "Pause all processes within one or more containers";
constexpr const char* kUnpauseHelp = "Unpause all processes within one or more containers";
VerbRegistration r1{{.parent = "", .name = "pause", .aliases = {}, .help = kPauseHelp, .setup = setup<true>}};
VerbRegistration r2{{.parent = "container", .name = "pause", .aliases = {}, .help = kPauseHelp, .setup = setup<true>}};
VerbRegistration r3{{.parent = "", .name = "unpause", .aliases = {}, .help = kUnpauseHelp, .setup = setup<false>}};
VerbRegistration r4{{.parent = "container", .name = "unpause", .aliases = {}, .help = kUnpauseHelp, .setup = setup<false>}};

} // namespace
} // namespace wharf::cli
