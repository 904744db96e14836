// `wharf compose run [--rm] [-d] [-e K=V] [-v SRC:DST] [--entrypoint E] [--no-deps]
// [--service-ports] [--name N] SERVICE [COMMAND [ARG...]]`: a one-off container of the
// service (`<project>-<service>-run-<12 hex>`, labelled oneoff=True), after bringing up what
// it depends on (and waiting for their conditions). Attached: exits with its exit code.
#include "compose/plan/config_hash.h"
#include "compose/plan/labels.h"
#include "engine/network/network_store.h"
#include "tools/wharf/compose_session.h"
#include "tools/wharf/run_options.h"

#include <iostream>
#include <unistd.h>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool rm = false, detach = false, no_deps = false, service_ports = false, no_tty = false;
        std::string name, entrypoint, user, workdir;
        bool entrypoint_set = false;
        std::vector<std::string> env, volumes, publish, words;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("--rm", o->rm, "Automatically remove the container when it exits");
    cmd.add_flag("-d,--detach", o->detach, "Run container in background and print container ID");
    cmd.add_flag("--no-deps", o->no_deps, "Don't start linked services");
    cmd.add_flag("-P,--service-ports", o->service_ports, "Run command with all service's ports enabled and mapped to the host");
    cmd.add_flag("-T,--no-TTY", o->no_tty, "Disable pseudo-TTY allocation");
    cmd.add_option("--name", o->name, "Assign a name to the container");
    cmd.add_option("--entrypoint", o->entrypoint, "Override the entrypoint of the image")->each([o](const std::string&) { o->entrypoint_set = true; });
    cmd.add_option("-u,--user", o->user, "Run as specified username or uid");
    cmd.add_option("-w,--workdir", o->workdir, "Working directory inside the container");
    cmd.add_option("-e,--env", o->env, "Set environment variables")->type_size(1)->allow_extra_args(false);
    cmd.add_option("-v,--volume", o->volumes, "Bind mount a volume")->type_size(1)->allow_extra_args(false);
    cmd.add_option("-p,--publish", o->publish, "Publish a container's port(s) to the host")->type_size(1)->allow_extra_args(false);
    take_command_line(cmd, o->words, 1);
    return [o, &ctx] {
        std::string service = o->words.front();
        ComposeLoadRequest lr;
        lr.services = {service};
        auto session = ComposeSession::open(ctx, lr);
        if (!session)
            return report(session.error());
        const auto& p = session->project();
        if (auto r = check_services(p, {service}); !r)
            return report(r.error());
        const auto& svc = p.services.at(service);

        // Dependencies first (their conditions waited for), unless --no-deps.
        auto observed = session->observe();
        if (!observed)
            return report(observed.error());
        compose::UpOptions uo;
        uo.tool_version = compose_tool_version();
        for (const auto& s : session->graph->closure({service}, compose::Direction::Up))
            if (s != service)
                uo.services.push_back(s);
        uo.no_deps = true;
        compose::Plan plan;
        if (!o->no_deps && !uo.services.empty()) {
            auto pl = compose::reconcile(p, *session->graph, *observed, uo);
            if (!pl)
                return report(pl.error());
            plan = std::move(*pl);
        }
        // Its networks, even with no dependency to start.
        compose::UpOptions net_only = uo;
        net_only.services = {service};
        net_only.no_start = true;
        auto own = compose::reconcile(p, *session->graph, *observed, net_only);
        if (!own)
            return report(own.error());
        for (auto& s : own->steps)
            if ((s.kind == compose::StepKind::CreateNetwork || s.kind == compose::StepKind::CreateVolume) &&
                std::none_of(plan.steps.begin(), plan.steps.end(), [&](const auto& x) { return x.target == s.target; }))
                plan.add(s);
        ApplyOptions ao;
        ao.progress = ctx.compose.progress;
        if (auto r = apply_plan(*session, plan, *observed, ao); !r)
            return report(r.error(), compose_exit_code(r.error()));

        std::string image_id;
        if (auto id = session->engine->image_id(svc.image_name(p.name)))
            image_id = *id;
        compose::SpecContext sc{p, image_id, compose_tool_version()};
        auto spec = compose::make_container_spec(sc, svc, 1);
        if (!spec)
            return report(spec.error());
        auto& c = spec->config;
        std::string slug = engine::random_hex_id(64);
        c.name = !o->name.empty() ? o->name : p.name + "-" + service + "-run-" + slug.substr(0, 12);
        c.labels[compose::labels::kOneoff] = "True";
        c.labels[compose::labels::kSlug] = slug;
        c.labels.erase(compose::labels::kContainerNumber);
        if (!o->service_ports)
            c.publish.clear();
        for (const auto& pub : o->publish)
            c.publish.push_back(pub);
        if (o->words.size() > 1)
            c.cmd.assign(o->words.begin() + 1, o->words.end());
        if (o->entrypoint_set) {
            spec->entrypoint_set = true;
            c.entrypoint = o->entrypoint.empty() ? std::vector<std::string>{} : std::vector<std::string>{"/bin/sh", "-c", o->entrypoint};
            if (o->entrypoint.find(' ') == std::string::npos && !o->entrypoint.empty())
                c.entrypoint = {o->entrypoint};
        }
        if (!o->user.empty())
            c.user = o->user;
        if (!o->workdir.empty())
            c.working_dir = o->workdir;
        for (const auto& e : o->env)
            spec->env.push_back(e.find('=') == std::string::npos && std::getenv(e.c_str()) ? e + "=" + std::getenv(e.c_str()) : e);
        for (const auto& v : o->volumes) {
            auto m = engine::parse_volume_flag(v, current_directory());
            if (!m)
                return report(m.error());
            c.mounts.push_back(*m);
        }
        c.restart = {};
        c.auto_remove = o->rm;
        c.tty = !o->no_tty && ::isatty(0) && ::isatty(1);
        c.open_stdin = !o->detach;

        auto rec = session->engine->create_container(*spec);
        if (!rec)
            return report(rec.error());
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        if (o->detach) {
            auto started = eng->start(rec->id);
            if (!started)
                return report(started.error());
            std::cout << rec->id << "\n";
            return 0;
        }
        engine::StartOptions so;
        so.attach = true;
        so.stdin_fd = 0;
        so.stdout_fd = 1;
        so.stderr_fd = 2;
        std::cout.flush();
        auto started = eng->start(rec->id, so);
        if (!started)
            return report(started.error());
        auto code = eng->wait_attached(rec->id, *started);
        if (!code)
            return report(code.error());
        if (o->rm)
            (void)eng->remove(rec->id, true, true);
        return *code;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "run", .aliases = {}, .help = "Run a one-off command on a service", .setup = setup}};

} // namespace
} // namespace wharf::cli
