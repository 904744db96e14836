// `wharf network prune [-f] [--filter label=…]`: removes custom networks no container uses
// (attached, or configured to join: a stopped container keeps its network).
#include "tools/wharf/network_cli.h"
#include "tools/wharf/network_view.h"
#include "tools/wharf/prompt.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto force = std::make_shared<bool>(false);
    auto filters = std::make_shared<std::vector<std::string>>();
    cmd.add_flag("-f,--force", *force, "Do not prompt for confirmation");
    cmd.add_option("--filter", *filters, "Provide filter values (e.g. \"label=<key>=<value>\")")
        ->type_size(1)
        ->allow_extra_args(false);
    return [force, filters, &ctx] {
        for (const auto& f : *filters)
            if (f.rfind("label=", 0) != 0)
                return report(Error(Errc::Invalid, "invalid filter '" + f.substr(0, f.find('=')) + "'"));
        if (!*force
            && !confirm("WARNING! This will remove all custom networks not used by at least one container."))
            return report(Error(Errc::Interrupted, "network prune has been cancelled"));
        auto store = open_network_store(ctx);
        if (!store)
            return report(store.error());
        auto nets = store->list();
        if (!nets)
            return report(nets.error());
        auto used = networks_in_use(ctx);
        std::vector<std::string> removed;
        for (const auto& n : *nets) {
            if (n.predefined() || !n.endpoints.empty() || used.count(n.name) || used.count(n.id))
                continue;
            auto keep = network_matches(n, *filters);
            if (!keep)
                return report(keep.error());
            if (!*keep)
                continue;
            if (auto r = store->remove(n.id); !r) {
                report(r.error());
                continue;
            }
            removed.push_back(n.name);
        }
        if (!removed.empty()) {
            std::cout << "Deleted Networks:\n";
            for (const auto& n : removed)
                std::cout << n << "\n";
            std::cout << "\n";
        }
        return 0;
    };
}

VerbRegistration reg {{.parent = "network",
    .name = "prune",
    .aliases = {},
    .help = "Remove all unused networks",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
