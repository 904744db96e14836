// `wharf start [-a] [-i] CONTAINER...`: prints each name as given (Docker), or attaches.
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto names = std::make_shared<std::vector<std::string>>();
    auto attach = std::make_shared<bool>(false);
    auto interactive = std::make_shared<bool>(false);
    cmd.add_flag("-a,--attach", *attach, "Attach STDOUT/STDERR and forward signals");
    cmd.add_flag("-i,--interactive", *interactive, "Attach container's STDIN");
    cmd.add_option("containers", *names)->required();
    return [names, attach, interactive, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        int rc = 0;
        for (const auto& n : *names) {
            engine::StartOptions so;
            if (*attach) {
                so.attach = true;
                so.stdin_fd = *interactive ? 0 : -1;
                so.stdout_fd = 1;
                so.stderr_fd = 2;
            }
            auto started = eng->start(n, so);
            if (!started) {
                report(started.error());
                rc = 1;
                continue;
            }
            if (*attach && started->status) {
                auto id = eng->resolve(n);
                auto code = eng->wait_attached(id ? *id : n, *started);
                return code ? *code : report(code.error());
            }
            std::cout << n << "\n";
        }
        return rc;
    };
}

VerbRegistration reg{{.parent = "container", .name = "start", .aliases = {}, .help = "Start one or more stopped containers", .setup = setup}};
VerbRegistration top{{.parent = "", .name = "start", .aliases = {}, .help = "Start one or more stopped containers", .setup = setup}};

} // namespace
} // namespace wharf::cli
