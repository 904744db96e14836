// Compose `build:` through the engine's builder (see compose_build.h), and `compose build`.
#include "tools/wharf/compose_build.h"

#include "engine/build/build.h"
#include "tools/wharf/build_progress.h"
#include "tools/wharf/image_cli.h"

#include <algorithm>
#include <iostream>
#include <sys/ioctl.h>
#include <unistd.h>

namespace wharf::cli {

namespace {
int columns_of(int fd)
{
    winsize ws{};
    if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}
} // namespace

Result<void> build_services(ComposeSession& session, const Context& ctx, const ComposeBuildOptions& o)
{
    const auto& p = session.project();
    std::optional<engine::ImageStore> store;
    for (const auto& name : session.graph->order(compose::Direction::Up)) {
        const auto& s = p.services.at(name);
        if (!s.build)
            continue;
        if (!o.services.empty() && std::find(o.services.begin(), o.services.end(), name) == o.services.end())
            continue;
        std::string tag = s.image_name(p.name);
        if (o.only_missing && session.engine->image_id(tag))
            continue;
        std::string frame = "service \"" + name + "\": build";
        const auto& b = *s.build;
        if (b.context.find("://") != std::string::npos || b.context.rfind("git@", 0) == 0)
            return Error(Errc::Invalid, "remote build context " + b.context + " is not supported").context(frame);
        engine::build::BuildRequest req;
        req.context_dir = b.context.empty() ? p.working_dir : b.context;
        req.dockerfile = b.dockerfile;
        if (!b.dockerfile_inline.empty())
            req.dockerfile_inline = b.dockerfile_inline;
        for (const auto& [k, v] : b.args)
            if (v)
                req.build_args[k] = *v;
        for (const auto& a : o.build_args) {
            auto eq = a.find('=');
            if (eq == std::string::npos) {
                if (const char* v = std::getenv(a.c_str()))
                    req.build_args[a] = v;
            } else {
                req.build_args[a.substr(0, eq)] = a.substr(eq + 1);
            }
        }
        req.target = b.target;
        req.labels = b.labels;
        req.no_cache = b.no_cache || o.no_cache;
        req.pull = b.pull || o.pull;
        req.network = b.network == "host" || b.network == "none" ? b.network : "default";
        req.tags.push_back(tag);
        for (const auto& t : b.tags)
            req.tags.push_back(t);
        req.state_root = ctx.global.root;
        if (!store)
            store = TRY_CTX(open_image_store(ctx), frame);
        ProgressMode mode = ProgressMode::Quiet;
        if (!o.quiet) {
            auto m = parse_progress_mode(o.progress == "json" ? "plain" : o.progress, STDERR_FILENO);
            mode = m ? *m : ProgressMode::Plain;
        }
        BuildProgressPrinter progress(std::cerr, mode, columns_of(STDERR_FILENO));
        progress.begin(req.dockerfile_inline ? "inline" : (b.dockerfile.empty() ? "Dockerfile" : b.dockerfile));
        auto built = engine::build::build_image(*store, req, progress);
        if (!built) {
            progress.fail_step(built.error());
            return std::move(built).error().context(frame);
        }
        progress.finished(built->image.id.str(), req.tags);
        if (!o.quiet)
            std::cerr << " \xe2\x9c\x94 Service " << name << "  Built" << std::endl;
    }
    return ok();
}

namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto o = std::make_shared<ComposeBuildOptions>();
    cmd.add_flag("--no-cache", o->no_cache, "Do not use cache when building the image");
    cmd.add_flag("--pull", o->pull, "Always attempt to pull a newer version of the image");
    cmd.add_flag("-q,--quiet", o->quiet, "Don't print anything to STDOUT");
    cmd.add_option("--build-arg", o->build_args, "Set build-time variables for services")->type_size(1)->allow_extra_args(false);
    cmd.add_option("services", o->services, "Services to build");
    return [o, &ctx] {
        auto session = ComposeSession::open(ctx);
        if (!session)
            return report(session.error());
        if (auto r = check_services(session->project(), o->services); !r)
            return report(r.error());
        o->progress = ctx.compose.progress;
        if (auto r = build_services(*session, ctx, *o); !r)
            return report(r.error());
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "build", .aliases = {}, .help = "Build or rebuild services", .setup = setup}};

} // namespace
} // namespace wharf::cli
