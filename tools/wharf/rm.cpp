// `wharf rm [-f] [-v] CONTAINER...` and `wharf kill [-s SIG] CONTAINER...`.
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup_rm(CLI::App& cmd, Context& ctx)
{
    auto names = std::make_shared<std::vector<std::string>>();
    auto force = std::make_shared<bool>(false);
    auto volumes = std::make_shared<bool>(false);
    cmd.add_flag("-f,--force", *force, "Force the removal of a running container (uses SIGKILL)");
    cmd.add_flag("-v,--volumes", *volumes, "Remove anonymous volumes associated with the container");
    cmd.add_option("containers", *names)->required();
    return [names, force, volumes, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        int rc = 0;
        for (const auto& n : *names) {
            auto r = eng->remove(n, *force, *volumes);
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

VerbAction setup_kill(CLI::App& cmd, Context& ctx)
{
    auto names = std::make_shared<std::vector<std::string>>();
    auto signal = std::make_shared<std::string>("SIGKILL");
    cmd.add_option("-s,--signal", *signal, "Signal to send to the container");
    cmd.add_option("containers", *names)->required();
    return [names, signal, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        int rc = 0;
        for (const auto& n : *names) {
            auto r = eng->kill(n, *signal);
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

VerbRegistration reg{{.parent = "container", .name = "rm", .aliases = {"remove"}, .help = "Remove one or more containers", .setup = setup_rm}};
VerbRegistration top{{.parent = "", .name = "rm", .aliases = {}, .help = "Remove one or more containers", .setup = setup_rm}};
VerbRegistration reg2{{.parent = "container", .name = "kill", .aliases = {}, .help = "Kill one or more running containers", .setup = setup_kill}};
VerbRegistration top2{{.parent = "", .name = "kill", .aliases = {}, .help = "Kill one or more running containers", .setup = setup_kill}};

} // namespace
} // namespace wharf::cli
