// `wharf compose logs [-f] [--tail N] [-t] [--no-log-prefix] [--no-color] [SERVICE...]`.
#include "tools/wharf/compose_log_stream.h"
#include "tools/wharf/compose_session.h"
#include "tools/wharf/run_options.h"

#include <unistd.h>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool follow = false, timestamps = false, no_prefix = false, no_color = false;
        std::string tail = "all";
        std::vector<std::string> services;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-f,--follow", o->follow, "Follow log output");
    cmd.add_flag("-t,--timestamps", o->timestamps, "Show timestamps");
    cmd.add_flag("--no-log-prefix", o->no_prefix, "Don't print prefix in logs");
    cmd.add_flag("--no-color", o->no_color, "Produce monochrome output");
    cmd.add_option("-n,--tail", o->tail, "Number of lines to show from the end of the logs for each container");
    cmd.add_option("services", o->services, "Services");
    return [o, &ctx] {
        auto session = open_for_services(ctx, o->services);
        if (!session)
            return report(session.error());
        LogStreamOptions lo;
        lo.follow = o->follow;
        lo.timestamps = o->timestamps;
        lo.prefix = !o->no_prefix;
        lo.color = !o->no_color && ::isatty(1);
        if (o->tail != "all") {
            char* end = nullptr;
            lo.tail = std::strtol(o->tail.c_str(), &end, 10);
            if (o->tail.empty() || *end || lo.tail < 0)
                return report(Error(Errc::Invalid, "invalid --tail \"" + o->tail + "\": expected a number or \"all\""));
        }
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto records = service_containers(*session, o->services);
        if (!records)
            return report(records.error());
        LogStream stream(*eng, lo);
        for (const auto& r : *records)
            stream.add(r, session->project().name);
        stream.run();
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "logs", .aliases = {}, .help = "View output from containers", .setup = setup}};

} // namespace
} // namespace wharf::cli
