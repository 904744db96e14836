// `wharf tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]` / `wharf image tag`.
#include "tools/wharf/image_cli.h"

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto source = std::make_shared<std::string>();
    auto target = std::make_shared<std::string>();
    cmd.add_option("source", *source, "SOURCE_IMAGE[:TAG]")->required();
    cmd.add_option("target", *target, "TARGET_IMAGE[:TAG]")->required();
    return [source, target, &ctx] {
        auto ref = engine::ImageReference::parse(*target);
        if (!ref)
            return report(ref.error());
        if (ref->digest)
            return report(Error(Errc::Invalid, "refusing to create a tag with a digest reference"));
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        auto img = store->resolve(*source);
        if (!img)
            return report(img.error());
        if (auto r = store->tag(img->id, *ref); !r)
            return report(r.error());
        return 0;
    };
}

VerbRegistration reg {{.parent = "image",
    .name = "tag",
    .aliases = {},
    .help = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    .setup = setup}};
VerbRegistration top {{.parent = "",
    .name = "tag",
    .aliases = {},
    .help = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
