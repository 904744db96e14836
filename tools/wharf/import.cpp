// `wharf import`: a rootfs tarball (file or "-") becomes a one-layer image; prints its ID.
#include "engine/image/image_archive.h"
#include "tools/wharf/image_cli.h"

#include <iostream>

namespace wharf::cli {
namespace {

struct Opts {
    std::vector<std::string> changes;
    std::string message, platform, source, repo;
};

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto o = std::make_shared<Opts>();
    cmd.add_option("-c,--change", o->changes, "Apply Dockerfile instruction to the created image")
        ->type_size(1)->allow_extra_args(false);
    cmd.add_option("-m,--message", o->message, "Set commit message for imported image");
    cmd.add_option("--platform", o->platform, "Set platform if server is multi-platform capable");
    cmd.add_option("file", o->source, "file|-")->required();
    cmd.add_option("repository", o->repo, "REPOSITORY[:TAG]");
    return [o, &ctx] {
        std::optional<engine::ImageReference> tag;
        if (!o->repo.empty()) {
            auto r = engine::ImageReference::parse(o->repo);
            if (!r)
                return report(r.error());
            tag = *r;
        }
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        engine::ImportOptions io{o->changes, o->message, o->platform};
        auto img = engine::import_rootfs(*store, o->source, tag, io);
        if (!img)
            return report(img.error());
        std::cout << img->id.str() << "\n";
        return 0;
    };
}

VerbRegistration reg{{.parent = "", .name = "import", .aliases = {},
    .help = "Import the contents from a tarball to create a filesystem image", .setup = setup}};
VerbRegistration reg_image{{.parent = "image", .name = "import", .aliases = {},
    .help = "Import the contents from a tarball to create a filesystem image", .setup = setup}};

} // namespace
} // namespace wharf::cli
