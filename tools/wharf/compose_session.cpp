// Shared start of the state-changing compose verbs (see compose_session.h).
#include "tools/wharf/compose_session.h"

#include "compose/execute/preflight.h"
#include "compose/plan/labels.h"
#include "tools/wharf/compose_engine.h"

#include <algorithm>
#include <iostream>

namespace wharf::cli {

Result<ComposeSession> ComposeSession::open(const Context& ctx, const ComposeLoadRequest& request)
{
    ComposeSession s;
    s.loaded = TRY(load_compose_project(ctx.compose, request));
    s.graph = TRY(compose::ServiceGraph::build(s.loaded.project));
    s.engine = TRY(open_compose_engine(ctx));
    return s;
}

Result<void> apply_plan(ComposeSession& session, const compose::Plan& plan, const compose::ObservedState& observed,
                        const ApplyOptions& options)
{
    for (const auto& w : plan.warnings)
        std::cerr << "WARN[0000] " << w << "\n";
    if (options.dry_run) {
        std::cout << (plan.empty() ? std::string("nothing to do\n") : plan.to_string());
        return ok();
    }
    bool creates = std::any_of(plan.steps.begin(), plan.steps.end(),
                               [](const auto& s) { return s.kind == compose::StepKind::CreateContainer; });
    if (creates)
        TRY(compose::preflight(plan, observed, *session.engine));
    Progress progress(progress_mode(options.progress));
    compose::ExecuteOptions eo;
    eo.project = session.project().name;
    eo.parallelism = options.parallelism;
    eo.wait_timeout = options.wait_timeout;
    eo.on_event = [&](const compose::StepEvent& e) { progress.on_event(e); };
    return compose::execute(plan, *session.engine, compose::system_clock(), eo);
}

int compose_exit_code(const Error& error) { return error.code() == Errc::Interrupted ? 130 : 1; }

std::string compose_tool_version() { return std::string("wharf-") + WHARF_VERSION; }

Result<ComposeSession> open_for_services(const Context& ctx, const std::vector<std::string>& services)
{
    ComposeLoadRequest lr;
    lr.print_warnings = false;
    auto session = TRY(ComposeSession::open(ctx, lr));
    TRY(check_services(session.project(), services));
    return session;
}

Result<void> check_services(const compose::Project& project, const std::vector<std::string>& services)
{
    for (const auto& s : services)
        if (!project.services.count(s))
            return Error(Errc::NotFound, "no such service: " + s);
    return ok();
}

Result<std::vector<engine::ContainerRecord>> service_containers(ComposeSession& session,
                                                                const std::vector<std::string>& services,
                                                                bool include_oneoff)
{
    auto all = TRY(session.engine->list_containers({{compose::labels::kProject, session.project().name}}));
    std::vector<engine::ContainerRecord> out;
    for (auto& r : all) {
        std::string svc = compose::label_of(r, compose::labels::kService);
        if (!include_oneoff && compose::is_oneoff(r))
            continue;
        if (!services.empty() && std::find(services.begin(), services.end(), svc) == services.end())
            continue;
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        auto ka = std::tuple(compose::label_of(a, compose::labels::kService), compose::container_number(a), a.config.name);
        auto kb = std::tuple(compose::label_of(b, compose::labels::kService), compose::container_number(b), b.config.name);
        return ka < kb;
    });
    return out;
}

} // namespace wharf::cli
