// `wharf compose pause|unpause [SERVICE...]`: freezes (thaws) the running containers of the
// services (default all), printing docker compose's " Container x  Paused" lines. A
// container already in the wanted state is left as it is (docker compose would report the
// engine's "already paused" / "not paused" error for it).
#include "engine/container/container_engine.h"
#include "tools/wharf/compose_session.h"
#include "tools/wharf/run_options.h"

namespace wharf::cli {
namespace {

template <bool Pause>
VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto services = std::make_shared<std::vector<std::string>>();
    cmd.add_option("services", *services, "Services (default: all)");
    return [services, &ctx] {
        auto session = open_for_services(ctx, *services);
        if (!session)
            return report(session.error());
        auto records = service_containers(*session, *services);
        if (!records)
            return report(records.error());
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        Progress progress(progress_mode(ctx.compose.progress));
        int rc = 0;
        for (const auto& r : *records) {
            auto from = Pause ? engine::ContainerStatus::Running : engine::ContainerStatus::Paused;
            if (r.state.status != from)
                continue;
            auto res = Pause ? eng->pause(r.id) : eng->unpause(r.id);
            if (!res) {
                report(res.error());
                rc = 1;
                continue;
            }
            progress.note(std::string(" Container ") + r.config.name + "  " + (Pause ? "Paused" : "Unpaused"));
        }
        return rc;
    };
}

VerbRegistration r1{{.parent = "compose", .name = "pause", .aliases = {}, .help = "Pause services", .setup = setup<true>}};
VerbRegistration r2{{.parent = "compose", .name = "unpause", .aliases = {}, .help = "Unpause services", .setup = setup<false>}};

} // namespace
} // namespace wharf::cli
