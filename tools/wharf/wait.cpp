// `wharf wait CONTAINER...`: blocks until each container stops; prints its exit code.
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto names = std::make_shared<std::vector<std::string>>();
    cmd.add_option("containers", *names, "CONTAINER [CONTAINER...]")->required();
    return [names, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        int rc = 0;
        for (const auto& n : *names) {
            auto code = eng->wait(n);
            if (!code) {
                rc = report(code.error());
                continue;
            }
            std::cout << *code << std::endl;
        }
        return rc;
    };
}

VerbRegistration reg {{.parent = "container",
    .name = "wait",
    .aliases = {},
    .help = "Block until one or more containers stop, then print their exit codes",
    .setup = setup}};
VerbRegistration top {{.parent = "",
    .name = "wait",
    .aliases = {},
    .help = "Block until one or more containers stop, then print their exit codes",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
