// `wharf push [-a] [-q] NAME[:TAG]`: Docker's push and its output.
#include "engine/registry/push.h"
#include "tools/wharf/image_cli.h"
#include "tools/wharf/registry_cli.h"

#include <iostream>
#include <set>

namespace wharf::cli {
namespace {

using engine::registry::PushEvent;

int push_one(engine::ImageStore& store, const engine::ImageReference& ref, bool quiet)
{
    LayerProgress progress(std::cout, stdout_is_terminal());
    engine::registry::PushOptions opts;
    if (!quiet) {
        opts.progress = [&progress](const PushEvent& e) {
            if (e.is_config)
                return; // Docker shows layers only
            switch (e.kind) {
            case PushEvent::Kind::Preparing:
                progress.status(e.layer, "Preparing");
                break;
            case PushEvent::Kind::Pushing:
                progress.bytes(e.layer, "Pushing", e.current, e.total);
                break;
            case PushEvent::Kind::Pushed:
                progress.status(e.layer, "Pushed");
                break;
            case PushEvent::Kind::Exists:
                progress.status(e.layer, "Layer already exists");
                break;
            case PushEvent::Kind::Mounted:
                progress.status(e.layer, "Mounted from " + e.from);
                break;
            }
        };
    }
    auto r = engine::registry::push_image(store, ref, opts);
    if (!r)
        return report(r.error());
    if (quiet)
        std::cout << ref.str() << "\n";
    else
        progress.line(r->tag + ": digest: " + r->digest.str() + " size: " + std::to_string(r->size));
    return 0;
}

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto name = std::make_shared<std::string>();
    auto all_tags = std::make_shared<bool>(false);
    auto quiet = std::make_shared<bool>(false);
    auto trust = std::make_shared<bool>(true);
    cmd.add_flag("-a,--all-tags", *all_tags, "Push all tags of an image to the repository");
    cmd.add_flag("-q,--quiet", *quiet, "Suppress verbose output");
    cmd.add_flag("--disable-content-trust", *trust, "Skip image signing (default true)");
    cmd.add_option("name", *name, "NAME[:TAG]")->required();
    return [=, &ctx] {
        auto parsed = engine::ImageReference::parse(*name, engine::DefaultTag::None);
        if (!parsed)
            return report(parsed.error());
        if (*all_tags && (!parsed->tag.empty() || parsed->digest))
            return report(Error(Errc::Invalid, "tag can't be used with --all-tags/-a"));
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        std::vector<engine::ImageReference> refs;
        if (*all_tags) {
            auto images = store->list();
            if (!images)
                return report(images.error());
            std::set<std::string> seen;
            for (auto& img : *images)
                for (auto& t : img.repo_tags)
                    if (auto r = engine::ImageReference::parse(t); r && r->name() == parsed->name() && seen.insert(t).second)
                        refs.push_back(*r);
        } else {
            auto ref = *parsed;
            if (ref.tag.empty() && !ref.digest) {
                ref.tag = "latest";
                if (!*quiet)
                    std::cout << "Using default tag: latest\n";
            }
            if (!store->resolve(ref.str()))
                return report(Error(Errc::NotFound, "An image does not exist locally with the tag: " + ref.familiar()));
            refs.push_back(ref);
        }
        if (refs.empty())
            return report(Error(Errc::NotFound, "An image does not exist locally with the tag: " + parsed->familiar()));
        if (!*quiet)
            std::cout << "The push refers to repository [" << parsed->name() << "]\n";
        int rc = 0;
        for (auto& r : refs)
            if (push_one(*store, r, *quiet) != 0)
                rc = 1;
        return rc;
    };
}

VerbRegistration reg{{.parent = "", .name = "push", .aliases = {},
    .help = "Upload an image to a registry", .setup = setup}};
VerbRegistration reg_image{{.parent = "image", .name = "push", .aliases = {},
    .help = "Upload an image to a registry", .setup = setup}};

} // namespace
} // namespace wharf::cli
