// `wharf stop [-t N] [-s SIG] CONTAINER...` and `wharf restart`.
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

template <bool Restart>
VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto names = std::make_shared<std::vector<std::string>>();
    auto timeout = std::make_shared<std::optional<int>>();
    auto signal = std::make_shared<std::string>();
    cmd.add_option("-t,--timeout,--time", *timeout, "Seconds to wait before killing the container");
    cmd.add_option("-s,--signal", *signal, "Signal to send to the container");
    cmd.add_option("containers", *names)->required();
    return [names, timeout, signal, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        int rc = 0;
        for (const auto& n : *names) {
            auto r = eng->stop(n, *timeout, *signal);
            if (r && Restart) {
                auto s = eng->start(n);
                if (!s)
                    r = std::move(s).error();
            }
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

VerbRegistration reg{{.parent = "container", .name = "stop", .aliases = {}, .help = "Stop one or more running containers", .setup = setup<false>}};
VerbRegistration top{{.parent = "", .name = "stop", .aliases = {}, .help = "Stop one or more running containers", .setup = setup<false>}};
VerbRegistration reg2{{.parent = "container", .name = "restart", .aliases = {}, .help = "Restart one or more containers", .setup = setup<true>}};
VerbRegistration top2{{.parent = "", .name = "restart", .aliases = {}, .help = "Restart one or more containers", .setup = setup<true>}};

} // namespace
} // namespace wharf::cli
