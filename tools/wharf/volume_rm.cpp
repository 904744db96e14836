// `wharf volume rm [-f] VOLUME...`: refuses volumes a container (in any state) uses.
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto force = std::make_shared<bool>(false);
    auto names = std::make_shared<std::vector<std::string>>();
    cmd.add_flag("-f,--force", *force, "Do not fail on volumes that do not exist");
    cmd.add_option("volumes", *names, "VOLUME [VOLUME...]")->required();
    return [force, names, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        int rc = 0;
        for (const auto& n : *names) {
            if (!eng->volumes().exists(n)) {
                if (!*force)
                    rc = report(Error(Errc::NotFound, "get " + n + ": no such volume"));
                continue;
            }
            auto users = eng->volume_users(n);
            if (!users.empty()) {
                std::string list;
                for (const auto& u : users)
                    list += (list.empty() ? "" : " ") + u;
                rc = report(Error(Errc::Conflict, "remove " + n + ": volume is in use - [" + list + "]"));
                continue;
            }
            if (auto r = eng->volumes().remove(n); !r) {
                rc = report(r.error());
                continue;
            }
            std::cout << n << "\n";
        }
        return rc;
    };
}

VerbRegistration reg {{.parent = "volume",
    .name = "rm",
    .aliases = {"remove"},
    .help = "Remove one or more volumes",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
