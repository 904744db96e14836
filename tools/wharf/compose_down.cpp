// `wharf compose down`: stop and remove the project's containers (dependents first), then
// its networks; `-v` its named volumes too (never external ones) and anonymous volumes.
#include "tools/wharf/compose_session.h"

#include "engine/image/image_store.h"

#include <iostream>
#include <set>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool volumes = false, remove_orphans = false, dry_run = false;
        std::optional<int> timeout;
        std::string rmi;
        std::vector<std::string> services;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-v,--volumes", o->volumes, "Remove named volumes declared in the \"volumes\" section of the Compose file and anonymous volumes attached to containers");
    cmd.add_flag("--remove-orphans", o->remove_orphans, "Remove containers for services not defined in the Compose file");
    cmd.add_option("-t,--timeout", o->timeout, "Specify a shutdown timeout in seconds");
    cmd.add_option("--rmi", o->rmi, "Remove images used by services. \"local\" remove only images that don't have a custom tag (\"local\"|\"all\")");
    cmd.add_flag("--dry-run", o->dry_run, "Print the plan and do nothing");
    cmd.add_option("services", o->services, "Services to remove (default: all, with networks)");
    return [o, &ctx] {
        if (!o->rmi.empty() && o->rmi != "local" && o->rmi != "all")
            return report(Error(Errc::Invalid, "invalid value for --rmi: \"" + o->rmi + "\" (use local or all)"));
        auto session = ComposeSession::open(ctx);
        if (!session)
            return report(session.error());
        if (auto r = check_services(session->project(), o->services); !r)
            return report(r.error());
        auto observed = session->observe();
        if (!observed)
            return report(observed.error());
        compose::DownOptions d;
        d.services = o->services;
        d.remove_orphans = o->remove_orphans;
        d.volumes = o->volumes;
        d.timeout = o->timeout;
        auto plan = compose::plan_down(session->project(), *session->graph, *observed, d);
        ApplyOptions ao;
        ao.dry_run = o->dry_run || ctx.compose.dry_run;
        ao.progress = ctx.compose.progress;
        if (auto r = apply_plan(*session, plan, *observed, ao); !r)
            return report(r.error(), compose_exit_code(r.error()));
        if (!o->rmi.empty() && !ao.dry_run) {
            // After the containers are gone (their holds released): `local` = images compose
            // named itself (<project>-<service>, no `image:`), `all` = every service's image.
            auto store = engine::ImageStore::open(ctx.global.root);
            if (!store)
                return report(store.error());
            std::set<std::string> refs;
            for (const auto& [name, svc] : session->project().services)
                if (o->rmi == "all" || svc.image.empty())
                    refs.insert(svc.image_name(session->project().name));
            Progress progress(progress_mode(ctx.compose.progress));
            for (const auto& ref : refs) {
                auto removed = store->remove(ref, {});
                if (removed)
                    progress.note(" Image " + ref + "  Removed");
                else if (removed.error().code() != Errc::NotFound)
                    std::cerr << "WARN[0000] image " << ref << ": " << removed.error().summary() << "\n";
            }
        }
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "down", .aliases = {}, .help = "Stop and remove containers, networks", .setup = setup}};

} // namespace
} // namespace wharf::cli
