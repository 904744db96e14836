// `wharf builder prune [-f] [-a]`: forgets every build cache record, then deletes the layers
// and blobs nothing references any more (as `image prune` does after removing images).
// Docker's report: the deleted cache records, then the reclaimed space.
#include "engine/build/cache.h"
#include "tools/wharf/image_cli.h"
#include "tools/wharf/prompt.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto force = std::make_shared<bool>(false);
    auto all = std::make_shared<bool>(false);
    cmd.add_flag("-f,--force", *force, "Do not prompt for confirmation");
    cmd.add_flag("-a,--all", *all, "Remove all unused build cache, not just dangling ones (the same here)");
    return [force, &ctx] {
        if (!*force && !confirm("WARNING! This will remove all dangling build cache."))
            return report(Error(Errc::Interrupted, "builder prune has been cancelled"));
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        engine::build::BuildCache cache(ctx.global.root);
        auto keys = cache.clear();
        if (!keys)
            return report(keys.error());
        auto gc = store->gc();
        if (!gc)
            return report(gc.error());
        if (!keys->empty()) {
            std::cout << "Deleted build cache objects:\n";
            for (const auto& k : *keys)
                std::cout << k.substr(0, 25) << "\n";
            std::cout << "\n";
        }
        std::cout << "Total reclaimed space: " << engine::human_size(gc->reclaimed) << "\n";
        return 0;
    };
}

VerbRegistration reg {
    {.parent = "builder", .name = "prune", .aliases = {}, .help = "Remove build cache", .setup = setup}};

} // namespace
} // namespace wharf::cli
