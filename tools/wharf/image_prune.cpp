// `wharf image prune [-a] [-f]`: deletes dangling (with -a: all unused) images and the
// blobs and layers nothing else uses; prints Docker's report and the reclaimed space.
#include "tools/wharf/image_cli.h"
#include "tools/wharf/prompt.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto all = std::make_shared<bool>(false);
    auto force = std::make_shared<bool>(false);
    auto filters = std::make_shared<std::vector<std::string>>();
    cmd.add_flag("-a,--all", *all, "Remove all unused images, not just dangling ones");
    cmd.add_flag("-f,--force", *force, "Do not prompt for confirmation");
    cmd.add_option("--filter", *filters, "Provide filter values (not supported yet)")
        ->type_size(1)
        ->allow_extra_args(false);
    return [all, force, filters, &ctx] {
        if (!filters->empty())
            return report(Error(Errc::Invalid, "image prune: --filter is not supported yet"));
        if (!*force
            && !confirm(*all ? "WARNING! This will remove all images without at least one container "
                               "associated to them."
                             : "WARNING! This will remove all dangling images.")) {
            return report(Error(Errc::Interrupted, "image prune has been cancelled"));
        }
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        uint64_t reclaimed = 0;
        auto lines = store->prune(*all, &reclaimed);
        if (!lines)
            return report(lines.error());
        if (!lines->empty()) {
            std::cout << "Deleted Images:\n";
            for (const auto& l : *lines)
                std::cout << l << "\n";
            std::cout << "\n";
        }
        std::cout << "Total reclaimed space: " << engine::human_size(reclaimed) << "\n";
        return 0;
    };
}

VerbRegistration reg {
    {.parent = "image", .name = "prune", .aliases = {}, .help = "Remove unused images", .setup = setup}};

} // namespace
} // namespace wharf::cli
