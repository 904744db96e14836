// `wharf save`: images to a tar archive (Docker's format: OCI layout + manifest.json).
#include "engine/image/image_archive.h"
#include "tools/wharf/image_cli.h"

#include <unistd.h>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto output = std::make_shared<std::string>();
    auto images = std::make_shared<std::vector<std::string>>();
    cmd.add_option("-o,--output", *output, "Write to a file, instead of STDOUT");
    cmd.add_option("image", *images, "IMAGE [IMAGE...]")->required();
    return [output, images, &ctx] {
        if (output->empty() && ::isatty(1))
            return report(Error(Errc::Invalid, "cowardly refusing to save to a terminal. Use the -o flag or redirect"));
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        auto r = engine::save_archive(*store, *images, output->empty() ? "-" : *output);
        if (!r)
            return report(r.error());
        return 0;
    };
}

VerbRegistration reg{{.parent = "", .name = "save", .aliases = {},
    .help = "Save one or more images to a tar archive (streamed to STDOUT by default)", .setup = setup}};
VerbRegistration reg_image{{.parent = "image", .name = "save", .aliases = {},
    .help = "Save one or more images to a tar archive (streamed to STDOUT by default)", .setup = setup}};

} // namespace
} // namespace wharf::cli
