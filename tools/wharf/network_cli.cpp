#include "tools/wharf/network_cli.h"

#include "tools/wharf/run_options.h"

namespace wharf::cli {

Result<engine::NetworkStore> open_network_store(const Context& ctx)
{
    return engine::NetworkStore::open(ctx.global.root);
}

std::set<std::string> networks_in_use(const Context& ctx)
{
    std::set<std::string> used;
    auto eng = open_engine(ctx);
    if (!eng)
        return used;
    engine::ListFilter all;
    all.all = true;
    for (const auto& r : eng->list(all)) {
        used.insert(r.config.network_mode);
        for (const auto& n : r.config.networks)
            used.insert(n.network);
    }
    return used;
}

} // namespace wharf::cli
