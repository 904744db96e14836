// `wharf compose push [--ignore-push-failures] [-q] [SERVICE...]`: pushes the image of every
// service (default all) that has both `build:` and `image:` — and its `build.tags` — through
// the engine's registry client (engine/registry/push.h), as docker compose does; other
// services are skipped. Stops at the first failure (`service "web": push …: …`) unless
// --ignore-push-failures, which turns failures into warnings.
#include "engine/registry/push.h"
#include "tools/wharf/compose_session.h"
#include "tools/wharf/image_cli.h"

#include <algorithm>
#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::vector<std::string> services;
        bool ignore_failures = false, quiet = false;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("--ignore-push-failures", o->ignore_failures, "Push what it can and ignores images with push failures");
    cmd.add_flag("-q,--quiet", o->quiet, "Push without printing progress information");
    cmd.add_option("services", o->services, "Services");
    return [o, &ctx] {
        auto session = ComposeSession::open(ctx);
        if (!session)
            return report(session.error());
        if (auto r = check_services(session->project(), o->services); !r)
            return report(r.error());
        std::optional<engine::ImageStore> store;
        Progress progress(o->quiet ? ComposeProgress::Quiet : progress_mode(ctx.compose.progress));
        for (const auto& [name, s] : session->project().services) {
            if (!o->services.empty() && std::find(o->services.begin(), o->services.end(), name) == o->services.end())
                continue;
            if (!s.build || s.image.empty()) {
                progress.note(" " + name + "  Skipped");
                continue;
            }
            std::vector<std::string> tags = {s.image};
            tags.insert(tags.end(), s.build->tags.begin(), s.build->tags.end());
            for (const auto& tag : tags) {
                std::string frame = "service \"" + name + "\"";
                auto pushed = [&]() -> Result<engine::registry::PushResult> {
                    auto ref = TRY(engine::ImageReference::parse(tag));
                    if (!store)
                        store = TRY(open_image_store(ctx));
                    if (!store->resolve(ref.str()))
                        return Error(Errc::NotFound, "An image does not exist locally with the tag: " + ref.familiar());
                    progress.note(" Image " + tag + "  Pushing");
                    return TRY_CTX(engine::registry::push_image(*store, ref, {}), "push " + tag);
                }();
                if (!pushed) {
                    if (o->ignore_failures) {
                        std::cerr << "WARN[0000] " << frame << ": " << pushed.error().summary() << "\n";
                        continue;
                    }
                    return report(Error(pushed.error()).context(frame));
                }
                progress.note(" \xe2\x9c\x94 Image " + tag + "  Pushed");
            }
        }
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "push", .aliases = {}, .help = "Push service images", .setup = setup}};

} // namespace
} // namespace wharf::cli
