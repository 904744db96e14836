// Compose image pulls through the engine's registry client (see compose_pull.h), and
// `compose pull`.
#include "tools/wharf/compose_pull.h"

#include "engine/registry/pull.h"

#include <algorithm>
#include <iostream>
#include <set>

namespace wharf::cli {

Result<void> pull_services(ComposeSession& session, const Context& ctx, const ComposePullOptions& o)
{
    const auto& p = session.project();
    std::optional<engine::ImageStore> store;
    std::set<std::string> done;
    Progress progress(o.quiet ? ComposeProgress::Quiet : progress_mode(o.progress));
    for (const auto& [name, s] : p.services) {
        if (!o.services.empty() && std::find(o.services.begin(), o.services.end(), name) == o.services.end())
            continue;
        if (s.image.empty() || s.pull_policy == "never" || s.pull_policy == "build")
            continue;
        bool present = session.engine->image_id(s.image).has_value();
        if (s.build && !present && o.only_missing)
            continue; // the builder makes it
        if (present && o.only_missing)
            continue;
        if (!done.insert(s.image).second)
            continue;
        std::string frame = "service \"" + name + "\"";
        auto ref = engine::ImageReference::parse(s.image);
        if (!ref)
            return std::move(ref).error().context(frame);
        if (!store)
            store = TRY_CTX(engine::ImageStore::open(ctx.global.root), frame);
        progress.note(" Image " + s.image + "  Pulling");
        auto pulled = engine::registry::pull_image(*store, *ref, {});
        if (!pulled) {
            if (o.ignore_failures) {
                std::cerr << "WARN[0000] " << frame << ": " << pulled.error().summary() << "\n";
                continue;
            }
            return std::move(pulled).error().context(frame);
        }
        progress.note(" \xe2\x9c\x94 Image " + s.image + "  Pulled");
    }
    return ok();
}

namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto o = std::make_shared<ComposePullOptions>();
    cmd.add_flag("--ignore-pull-failures", o->ignore_failures, "Pull what it can and ignores images with pull failures");
    cmd.add_flag("-q,--quiet", o->quiet, "Pull without printing progress information");
    cmd.add_option("services", o->services, "Services");
    return [o, &ctx] {
        auto session = ComposeSession::open(ctx);
        if (!session)
            return report(session.error());
        if (auto r = check_services(session->project(), o->services); !r)
            return report(r.error());
        o->only_missing = false;
        o->progress = ctx.compose.progress;
        if (auto r = pull_services(*session, ctx, *o); !r)
            return report(r.error());
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "pull", .aliases = {}, .help = "Pull service images", .setup = setup}};

} // namespace
} // namespace wharf::cli
