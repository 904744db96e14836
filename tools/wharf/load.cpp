// `wharf load`: images from a docker-save tarball or an OCI layout tarball.
#include "engine/image/image_archive.h"
#include "tools/wharf/image_cli.h"

#include <iostream>
#include <unistd.h>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto input = std::make_shared<std::string>();
    auto quiet = std::make_shared<bool>(false);
    cmd.add_option("-i,--input", *input, "Read from tar archive file, instead of STDIN");
    cmd.add_flag("-q,--quiet", *quiet, "Suppress the load output");
    return [input, quiet, &ctx] {
        if (input->empty() && ::isatty(0))
            return report(Error(Errc::Invalid, "requested load from stdin, but stdin is empty"));
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        auto loaded = engine::load_archive(*store, input->empty() ? "-" : *input);
        if (!loaded)
            return report(loaded.error());
        if (*quiet)
            return 0;
        for (auto& l : *loaded) {
            if (l.tags.empty())
                std::cout << "Loaded image ID: " << l.id.str() << "\n";
            for (auto& t : l.tags) {
                auto ref = engine::ImageReference::parse(t);
                std::cout << "Loaded image: " << (ref ? ref->familiar() : t) << "\n";
            }
        }
        return 0;
    };
}

VerbRegistration reg{{.parent = "", .name = "load", .aliases = {},
    .help = "Load an image from a tar archive or STDIN", .setup = setup}};
VerbRegistration reg_image{{.parent = "image", .name = "load", .aliases = {},
    .help = "Load an image from a tar archive or STDIN", .setup = setup}};

} // namespace
} // namespace wharf::cli
