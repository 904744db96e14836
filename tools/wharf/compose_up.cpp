// `wharf compose up` (and `create`): observe → reconcile → preflight → execute, then either
// return (-d, --wait) or stream the services' logs until they stop or Ctrl+C (the first
// stops everything in reverse dependency order, the second kills).
#include "compose/plan/labels.h"
#include "tools/wharf/compose_build.h"
#include "tools/wharf/compose_log_stream.h"
#include "tools/wharf/compose_pull.h"
#include "tools/wharf/compose_session.h"
#include "tools/wharf/run_options.h"

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace wharf::cli {
namespace {

std::atomic<int> g_interrupts{0};

void on_interrupt(int) { g_interrupts.fetch_add(1); }

struct UpFlags {
    bool detach = false, wait = false, force_recreate = false, no_recreate = false, no_deps = false,
         remove_orphans = false, no_start = false, dry_run = false, build = false, no_build = false,
         abort_on_exit = false, abort_on_failure = false, no_log_prefix = false, timestamps = false,
         no_color = false, always_recreate_deps = false, quiet_pull = false, renew_anon_volumes = false;
    int wait_timeout = 0;
    std::optional<int> timeout;
    std::vector<std::string> scale, services;
    std::string pull = "policy", exit_code_from;
};

Result<std::map<std::string, int64_t>> parse_scale(const std::vector<std::string>& items)
{
    std::map<std::string, int64_t> out;
    for (const auto& s : items) {
        auto eq = s.find('=');
        char* end = nullptr;
        long n = eq == std::string::npos ? -1 : std::strtol(s.c_str() + eq + 1, &end, 10);
        if (eq == std::string::npos || eq == 0 || !end || *end || n < 0)
            return Error(Errc::Invalid, "invalid --scale \"" + s + "\": expected SERVICE=NUM");
        out[s.substr(0, eq)] = n;
    }
    return out;
}

int run_up(const UpFlags& f, Context& ctx, bool create_only)
{
    if (f.force_recreate && f.no_recreate)
        return report(Error(Errc::Invalid, "--force-recreate and --no-recreate are incompatible"));
    if (f.detach && (f.abort_on_exit || f.abort_on_failure || !f.exit_code_from.empty()))
        return report(Error(Errc::Invalid, "--abort-on-container-exit and -d cannot be combined."));
    if (f.build && f.no_build)
        return report(Error(Errc::Invalid, "--build and --no-build are incompatible"));
    if (f.pull != "policy" && f.pull != "always" && f.pull != "missing" && f.pull != "never" && f.pull != "build")
        return report(Error(Errc::Invalid, "invalid --pull option \"" + f.pull + "\": use always, missing, never"));
    ComposeLoadRequest lr;
    lr.services = f.services;
    auto session = ComposeSession::open(ctx, lr);
    if (!session)
        return report(session.error());
    if (auto r = check_services(session->project(), f.services); !r)
        return report(r.error());
    auto scale = parse_scale(f.scale);
    if (!scale)
        return report(scale.error());
    // Images from registries: missing ones (pull_policy missing, the default), or all with
    // --pull always; then the `build:` services' images.
    if (f.pull != "never" && !(f.dry_run || ctx.compose.dry_run)) {
        ComposePullOptions po;
        po.only_missing = f.pull != "always";
        po.progress = ctx.compose.progress;
        if (!f.services.empty())
            for (const auto& s : session->graph->closure(f.services, compose::Direction::Up))
                po.services.push_back(s);
        if (auto r = pull_services(*session, ctx, po); !r)
            return report(r.error());
    }
    // Images of `build:` services: rebuilt with --build, built when missing unless --no-build.
    if (!f.no_build && !(f.dry_run || ctx.compose.dry_run)) {
        ComposeBuildOptions bo;
        bo.only_missing = !f.build;
        bo.progress = ctx.compose.progress;
        if (!f.services.empty())
            for (const auto& s : session->graph->closure(f.services, compose::Direction::Up))
                bo.services.push_back(s);
        if (auto r = build_services(*session, ctx, bo); !r)
            return report(r.error());
    }

    compose::UpOptions uo;
    uo.services = f.services;
    uo.no_deps = f.no_deps;
    uo.recreate = f.force_recreate ? compose::RecreatePolicy::Force
                : f.no_recreate    ? compose::RecreatePolicy::Never
                                   : compose::RecreatePolicy::Diverged;
    uo.remove_orphans = f.remove_orphans;
    uo.scale = *scale;
    uo.no_start = f.no_start || create_only;
    uo.wait = f.wait && !uo.no_start;
    uo.timeout = f.timeout;
    uo.renew_anon_volumes = f.renew_anon_volumes;
    uo.tool_version = compose_tool_version();

    auto observed = session->observe();
    if (!observed)
        return report(observed.error());
    auto plan = compose::reconcile(session->project(), *session->graph, *observed, uo);
    if (!plan)
        return report(plan.error());
    ApplyOptions ao;
    ao.dry_run = f.dry_run || ctx.compose.dry_run;
    ao.progress = ctx.compose.progress;
    if (f.wait_timeout > 0)
        ao.wait_timeout = std::chrono::seconds(f.wait_timeout);
    if (auto r = apply_plan(*session, *plan, *observed, ao); !r)
        return report(r.error(), compose_exit_code(r.error()));
    if (ao.dry_run || f.detach || f.wait || uo.no_start)
        return 0;

    // Attached: stream logs until everything stopped or Ctrl+C.
    auto eng = open_engine(ctx);
    if (!eng)
        return report(eng.error());
    std::vector<std::string> shown = f.services;
    auto records = service_containers(*session, shown);
    if (!records)
        return report(records.error());
    struct sigaction sa{};
    sa.sa_handler = on_interrupt;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    std::string project = session->project().name;
    auto& ce = *session->engine;
    int exit_code = 0;
    bool aborted = false;
    LogStreamOptions lo;
    lo.follow = true;
    lo.prefix = !f.no_log_prefix;
    lo.timestamps = f.timestamps;
    lo.color = !f.no_color && ::isatty(1);
    lo.stop = [&] {
        if (g_interrupts.load() > 0)
            return true;
        if (f.abort_on_exit || f.abort_on_failure || !f.exit_code_from.empty()) {
            auto now = ce.list_containers({{compose::labels::kProject, project}});
            if (!now)
                return false;
            for (const auto& r : *now) {
                bool exited = r.state.status == engine::ContainerStatus::Exited;
                if (!exited || compose::is_oneoff(r))
                    continue;
                if (f.abort_on_failure && r.state.exit_code == 0 && f.exit_code_from.empty() && !f.abort_on_exit)
                    continue;
                aborted = true;
                return true;
            }
        }
        return false;
    };
    LogStream stream(*eng, lo);
    for (const auto& r : *records) {
        // `attach: false` services run, but their output is not streamed.
        const auto* svc = session->project().find_service(compose::label_of(r, compose::labels::kService));
        if (svc && svc->attach && !*svc->attach)
            continue;
        stream.add(r, project);
    }
    stream.run();

    Progress progress(progress_mode(ctx.compose.progress));
    bool interrupted = g_interrupts.load() > 0;
    if (interrupted || aborted) {
        progress.note(interrupted ? "Gracefully stopping... (press Ctrl+C again to force)"
                                  : "Aborting on container exit...");
        std::atomic<bool> done{false};
        // A second Ctrl+C kills what is still running.
        std::thread killer([&] {
            while (!done.load()) {
                if (g_interrupts.load() > 1) {
                    if (auto now = ce.list_containers({{compose::labels::kProject, project}}))
                        for (const auto& r : *now)
                            if (engine::is_active(r))
                                (void)ce.kill_container(r.id, "SIGKILL");
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        });
        auto now_observed = session->observe();
        if (now_observed) {
            compose::DownOptions d;
            d.stop_only = true;
            d.timeout = f.timeout;
            auto stop = compose::plan_down(session->project(), *session->graph, *now_observed, d);
            stop.warnings.clear();
            ApplyOptions so;
            so.progress = ctx.compose.progress;
            if (auto r = apply_plan(*session, stop, *now_observed, so); !r)
                report(r.error());
        }
        done = true;
        killer.join();
        if (interrupted)
            exit_code = 130;
    }
    if (!f.exit_code_from.empty()) {
        auto recs = service_containers(*session, {f.exit_code_from});
        if (recs && !recs->empty())
            exit_code = recs->front().state.exit_code;
    } else if (f.abort_on_failure && aborted) {
        if (auto recs = service_containers(*session, {}))
            for (const auto& r : *recs)
                if (r.state.status == engine::ContainerStatus::Exited && r.state.exit_code != 0)
                    exit_code = r.state.exit_code;
    }
    return exit_code;
}

void add_up_flags(CLI::App& cmd, UpFlags& f, bool create_only)
{
    cmd.add_flag("--force-recreate", f.force_recreate, "Recreate containers even if their configuration and image haven't changed");
    cmd.add_flag("--no-recreate", f.no_recreate, "If containers already exist, don't recreate them");
    cmd.add_flag("-V,--renew-anon-volumes", f.renew_anon_volumes, "Recreate anonymous volumes instead of retrieving data from the previous containers");
    cmd.add_flag("--remove-orphans", f.remove_orphans, "Remove containers for services not defined in the Compose file");
    cmd.add_option("--scale", f.scale, "Scale SERVICE to NUM instances (SERVICE=NUM)")->type_size(1)->allow_extra_args(false);
    cmd.add_flag("--build", f.build, "Build images before starting containers");
    cmd.add_flag("--no-build", f.no_build, "Don't build an image, even if it's policy");
    cmd.add_option("--pull", f.pull, "Pull image before running (\"always\"|\"missing\"|\"never\")");
    cmd.add_flag("--quiet-pull", f.quiet_pull, "Pull without printing progress information");
    cmd.add_flag("--dry-run", f.dry_run, "Print the plan (every step and its cause) and do nothing");
    cmd.add_option("services", f.services, "Services to start (with what they depend on)");
    if (create_only)
        return;
    cmd.add_flag("-d,--detach", f.detach, "Detached mode: Run containers in the background");
    cmd.add_flag("--wait", f.wait, "Wait for services to be running|healthy. Implies detached mode.");
    cmd.add_option("--wait-timeout", f.wait_timeout, "Maximum duration in seconds to wait for the project to be running|healthy");
    cmd.add_flag("--no-deps", f.no_deps, "Don't start linked services");
    cmd.add_flag("--no-start", f.no_start, "Don't start the services after creating them");
    cmd.add_option("-t,--timeout", f.timeout, "Use this timeout in seconds for container shutdown when attached or when containers are already running");
    cmd.add_flag("--abort-on-container-exit", f.abort_on_exit, "Stops all containers if any container was stopped");
    cmd.add_flag("--abort-on-container-failure", f.abort_on_failure, "Stops all containers if any container exited with failure");
    cmd.add_option("--exit-code-from", f.exit_code_from, "Return the exit code of the selected service container");
    cmd.add_flag("--no-log-prefix", f.no_log_prefix, "Don't print prefix in logs");
    cmd.add_flag("--timestamps", f.timestamps, "Show timestamps");
    cmd.add_flag("--no-color", f.no_color, "Produce monochrome output");
    cmd.add_flag("--always-recreate-deps", f.always_recreate_deps, "Recreate dependent containers");
}

VerbAction setup_up(CLI::App& cmd, Context& ctx)
{
    auto f = std::make_shared<UpFlags>();
    add_up_flags(cmd, *f, false);
    return [f, &ctx] { return run_up(*f, ctx, false); };
}

VerbAction setup_create(CLI::App& cmd, Context& ctx)
{
    auto f = std::make_shared<UpFlags>();
    add_up_flags(cmd, *f, true);
    return [f, &ctx] { return run_up(*f, ctx, true); };
}

VerbRegistration reg{{.parent = "compose", .name = "up", .aliases = {}, .help = "Create and start containers", .setup = setup_up}};
VerbRegistration reg_create{{.parent = "compose", .name = "create", .aliases = {}, .help = "Creates containers for a service", .setup = setup_create}};

} // namespace
} // namespace wharf::cli
