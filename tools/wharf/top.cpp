// `wharf top CONTAINER [ps OPTIONS]`: the container's processes (see container_top.h).
#include "tools/wharf/container_top.h"
#include "tools/wharf/format.h"
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    // CONTAINER [ps OPTIONS]: everything after the container belongs to ps, flags included.
    auto words = std::make_shared<std::vector<std::string>>();
    take_command_line(cmd, *words, 1);
    return [words, &ctx] {
        std::vector<std::string> ps_args(words->begin() + 1, words->end());
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto rec = eng->inspect(words->front());
        if (!rec)
            return report(rec.error());
        auto table = container_top(*rec, ps_args);
        if (!table)
            return report(table.error());
        std::cout << align_columns(*table);
        return 0;
    };
}

VerbRegistration reg {{.parent = "container",
    .name = "top",
    .aliases = {},
    .help = "Display the running processes of a container",
    .setup = setup}};
VerbRegistration top {{.parent = "",
    .name = "top",
    .aliases = {},
    .help = "Display the running processes of a container",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
