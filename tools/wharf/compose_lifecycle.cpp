// `wharf compose stop|start|restart|kill|rm|pause|unpause [SERVICE...]`: the same action on
// every container of the named services (default all), in dependency order — stops
// dependents first, starts dependencies first.
#include "compose/plan/labels.h"
#include "engine/container/container_engine.h"
#include "tools/wharf/compose_session.h"

#include <iostream>

namespace wharf::cli {
namespace {

enum class Action { Stop, Start, Restart, Kill, Rm };

// Containers of `services` ordered for `direction` (by the service graph).
Result<std::vector<engine::ContainerRecord>> ordered(ComposeSession& s, const std::vector<std::string>& services,
                                                     compose::Direction direction)
{
    auto records = TRY(service_containers(s, services));
    std::vector<engine::ContainerRecord> out;
    for (const auto& svc : s.graph->order(direction))
        for (const auto& r : records)
            if (compose::label_of(r, compose::labels::kService) == svc)
                out.push_back(r);
    return out;
}

template <Action A>
VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::vector<std::string> services;
        std::optional<int> timeout;
        std::string signal = "SIGKILL";
        bool force = false, stop = false, volumes = false;
    };
    auto o = std::make_shared<Opts>();
    if constexpr (A == Action::Stop || A == Action::Restart)
        cmd.add_option("-t,--timeout", o->timeout, "Specify a shutdown timeout in seconds");
    if constexpr (A == Action::Kill)
        cmd.add_option("-s,--signal", o->signal, "SIGNAL to send to the container");
    if constexpr (A == Action::Rm) {
        cmd.add_flag("-f,--force", o->force, "Don't ask to confirm removal");
        cmd.add_flag("-s,--stop", o->stop, "Stop the containers, if required, before removing");
        cmd.add_flag("-v,--volumes", o->volumes, "Remove any anonymous volumes attached to containers");
    }
    cmd.add_option("services", o->services, "Services (default: all)");
    return [o, &ctx] {
        auto session = ComposeSession::open(ctx);
        if (!session)
            return report(session.error());
        if (auto r = check_services(session->project(), o->services); !r)
            return report(r.error());
        Progress progress(progress_mode(ctx.compose.progress));
        auto line = [&](const engine::ContainerRecord& r, const std::string& what) {
            compose::Step s;
            s.kind = compose::StepKind::StartContainer;
            s.target = r.config.name;
            progress.note(" " + progress_subject(s) + "  " + what);
        };
        auto& eng = *session->engine;
        int rc = 0;
        auto fail = [&](const Error& e) {
            report(e);
            rc = 1;
        };
        if constexpr (A == Action::Stop || A == Action::Restart || A == Action::Kill) {
            auto recs = ordered(*session, o->services, compose::Direction::Down);
            if (!recs)
                return report(recs.error());
            for (const auto& r : *recs) {
                if (!engine::is_active(r))
                    continue;
                auto res = A == Action::Kill ? eng.kill_container(r.id, o->signal) : eng.stop_container(r.id, o->timeout);
                if (!res)
                    fail(res.error());
                else
                    line(r, A == Action::Kill ? "Killed" : "Stopped");
            }
            if (A != Action::Restart)
                return rc;
        }
        if constexpr (A == Action::Start || A == Action::Restart) {
            auto recs = ordered(*session, o->services, compose::Direction::Up);
            if (!recs)
                return report(recs.error());
            if (recs->empty() && A == Action::Start)
                return report(Error(Errc::NotFound, "no containers to start"));
            for (const auto& r : *recs) {
                if (auto res = eng.start_container(r.id); !res)
                    fail(res.error());
                else
                    line(r, "Started");
            }
            return rc;
        }
        if constexpr (A == Action::Rm) {
            auto recs = ordered(*session, o->services, compose::Direction::Down);
            if (!recs)
                return report(recs.error());
            bool any = false;
            for (const auto& r : *recs) {
                if (engine::is_active(r)) {
                    if (!o->stop)
                        continue;
                    if (auto res = eng.stop_container(r.id, std::nullopt); !res) {
                        fail(res.error());
                        continue;
                    }
                }
                any = true;
                if (auto res = eng.remove_container(r.id, false, o->volumes); !res)
                    fail(res.error());
                else
                    line(r, "Removed");
            }
            if (!any)
                progress.note("No stopped containers");
            return rc;
        }
        return rc;
    };
}

VerbRegistration r1{{.parent = "compose", .name = "stop", .aliases = {}, .help = "Stop services", .setup = setup<Action::Stop>}};
VerbRegistration r2{{.parent = "compose", .name = "start", .aliases = {}, .help = "Start services", .setup = setup<Action::Start>}};
VerbRegistration r3{{.parent = "compose", .name = "restart", .aliases = {}, .help = "Restart service containers", .setup = setup<Action::Restart>}};
VerbRegistration r4{{.parent = "compose", .name = "kill", .aliases = {}, .help = "Force stop service containers", .setup = setup<Action::Kill>}};
VerbRegistration r5{{.parent = "compose", .name = "rm", .aliases = {}, .help = "Removes stopped service containers", .setup = setup<Action::Rm>}};

} // namespace
} // namespace wharf::cli
