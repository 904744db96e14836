// Compose verbs whose engines are not part of wharf yet: they fail clearly instead of
// pretending. `pull` succeeds when every image is already present (nothing to pull).
#include "tools/wharf/compose_session.h"

#include <algorithm>
#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup_pull(CLI::App& cmd, Context& ctx)
{
    auto services = std::make_shared<std::vector<std::string>>();
    auto ignore = std::make_shared<bool>(false);
    auto quiet = std::make_shared<bool>(false);
    cmd.add_flag("--ignore-pull-failures", *ignore, "Pull what it can and ignores images with pull failures");
    cmd.add_flag("-q,--quiet", *quiet, "Pull without printing progress information");
    cmd.add_option("services", *services, "Services");
    return [services, ignore, &ctx] {
        auto session = ComposeSession::open(ctx);
        if (!session)
            return report(session.error());
        if (auto r = check_services(session->project(), *services); !r)
            return report(r.error());
        int rc = 0;
        for (const auto& [name, s] : session->project().services) {
            if (!services->empty() && std::find(services->begin(), services->end(), name) == services->end())
                continue;
            std::string ref = s.image_name(session->project().name);
            if (session->engine->image_id(ref))
                continue;
            report(Error(Errc::Invalid, "service \"" + name + "\": pull " + ref +
                                            ": pulling images is not supported yet"));
            rc = *ignore ? rc : 1;
        }
        return rc;
    };
}

VerbAction setup_unsupported(CLI::App& cmd, Context&, const std::string& verb)
{
    auto rest = std::make_shared<std::vector<std::string>>();
    cmd.allow_extras();
    cmd.add_option("args", *rest, "Arguments");
    return [verb] { return report(Error(Errc::Invalid, "compose " + verb + ": not yet supported by wharf")); };
}

VerbRegistration r1{{.parent = "compose", .name = "pull", .aliases = {}, .help = "Pull service images", .setup = setup_pull}};
VerbRegistration r2{{.parent = "compose", .name = "build", .aliases = {}, .help = "Build or rebuild services (not yet supported)",
                     .setup = [](CLI::App& c, Context& x) { return setup_unsupported(c, x, "build"); }}};
VerbRegistration r3{{.parent = "compose", .name = "push", .aliases = {}, .help = "Push service images (not yet supported)",
                     .setup = [](CLI::App& c, Context& x) { return setup_unsupported(c, x, "push"); }}};

} // namespace
} // namespace wharf::cli
