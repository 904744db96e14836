// `wharf network rm [-f] NETWORK...`: refuses networks with attached (running) containers.
#include "tools/wharf/network_cli.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto force = std::make_shared<bool>(false);
    auto names = std::make_shared<std::vector<std::string>>();
    cmd.add_flag("-f,--force", *force, "Do not error if the network does not exist");
    cmd.add_option("networks", *names, "NETWORK [NETWORK...]")->required();
    return [force, names, &ctx] {
        auto store = open_network_store(ctx);
        if (!store)
            return report(store.error());
        int rc = 0;
        for (const auto& n : *names) {
            auto r = store->remove(n);
            if (!r) {
                if (!(*force && r.error().code() == Errc::NotFound))
                    rc = report(r.error());
                continue;
            }
            std::cout << n << "\n";
        }
        return rc;
    };
}

VerbRegistration reg {{.parent = "network",
    .name = "rm",
    .aliases = {"remove"},
    .help = "Remove one or more networks",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
