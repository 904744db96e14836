// `wharf compose wait [--down-project] SERVICE...`: blocks until every container of the
// services stopped; exits with the exit code of the first one (docker compose's rule).
#include "engine/container/container_engine.h"
#include "tools/wharf/compose_session.h"

#include <thread>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto services = std::make_shared<std::vector<std::string>>();
    auto down = std::make_shared<bool>(false);
    cmd.add_flag("--down-project", *down, "Drops project when the first container stops");
    cmd.add_option("services", *services, "Services")->required();
    return [services, down, &ctx] {
        auto session = open_for_services(ctx, *services);
        if (!session)
            return report(session.error());
        for (;;) {
            auto records = service_containers(*session, *services);
            if (!records)
                return report(records.error());
            std::optional<int> first;
            bool running = false;
            for (const auto& r : *records) {
                if (engine::is_active(r))
                    running = true;
                else if (!first && r.state.status == engine::ContainerStatus::Exited)
                    first = r.state.exit_code;
            }
            if ((*down && first) || !running) {
                if (*down) {
                    auto observed = session->observe();
                    if (observed) {
                        auto plan = compose::plan_down(session->project(), *session->graph, *observed, {});
                        plan.warnings.clear();
                        ApplyOptions ao;
                        ao.progress = ctx.compose.progress;
                        (void)apply_plan(*session, plan, *observed, ao);
                    }
                }
                return first.value_or(0);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    };
}

VerbRegistration reg{{.parent = "compose", .name = "wait", .aliases = {}, .help = "Block until containers of all (or specified) services stop.", .setup = setup}};

} // namespace
} // namespace wharf::cli
