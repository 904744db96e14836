// `wharf rmi [-f] [--no-prune] IMAGE...` / `wharf image rm`: Docker's Untagged:/Deleted: lines.
#include "tools/wharf/image_cli.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto images = std::make_shared<std::vector<std::string>>();
    auto opts = std::make_shared<engine::RemoveOptions>();
    cmd.add_flag("-f,--force", opts->force, "Force removal of the image");
    cmd.add_flag("--no-prune", opts->no_prune, "Do not delete untagged parents");
    cmd.add_option("images", *images, "IMAGE [IMAGE...]")->required();
    return [images, opts, &ctx] {
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        int rc = 0;
        for (const auto& name : *images) {
            auto lines = store->remove(name, *opts);
            if (!lines) {
                rc = report(lines.error());
                continue;
            }
            for (const auto& l : *lines)
                std::cout << l << "\n";
        }
        return rc;
    };
}

VerbRegistration reg {{.parent = "image",
    .name = "rm",
    .aliases = {"remove"},
    .help = "Remove one or more images",
    .setup = setup}};
VerbRegistration top {
    {.parent = "", .name = "rmi", .aliases = {}, .help = "Remove one or more images", .setup = setup}};

} // namespace
} // namespace wharf::cli
