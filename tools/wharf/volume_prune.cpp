// `wharf volume prune [-a] [-f] [--filter label=…]`: removes unused anonymous volumes (all
// unused ones with -a), as Docker 23+; prints them and the space reclaimed.
#include "engine/sys/disk_usage.h"
#include "tools/wharf/human.h"
#include "tools/wharf/prompt.h"
#include "tools/wharf/run_options.h"
#include "tools/wharf/volume_view.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto all = std::make_shared<bool>(false);
    auto force = std::make_shared<bool>(false);
    auto filters = std::make_shared<std::vector<std::string>>();
    cmd.add_flag("-a,--all", *all, "Remove all unused volumes, not just anonymous ones");
    cmd.add_flag("-f,--force", *force, "Do not prompt for confirmation");
    cmd.add_option("--filter", *filters, "Provide filter values (e.g. \"label=<label>\")")
        ->type_size(1)
        ->allow_extra_args(false);
    return [all, force, filters, &ctx] {
        for (const auto& f : *filters)
            if (f.rfind("label=", 0) != 0)
                return report(Error(Errc::Invalid, "invalid filter '" + f.substr(0, f.find('=')) + "'"));
        if (!*force
            && !confirm(*all
                    ? "WARNING! This will remove all local volumes not used by at least one container."
                    : "WARNING! This will remove anonymous local volumes not used by at least one "
                      "container."))
            return report(Error(Errc::Interrupted, "volume prune has been cancelled"));
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        std::vector<std::string> removed;
        uint64_t reclaimed = 0;
        for (const auto& v : eng->volumes().list()) {
            if (!*all && !v.anonymous)
                continue;
            auto keep = volume_matches(v, false, *filters);
            if (!keep)
                return report(keep.error());
            if (!*keep || !eng->volume_users(v.name).empty())
                continue;
            uint64_t size = sys::disk_usage(v.mountpoint);
            if (auto r = eng->volumes().remove(v.name); !r) {
                report(r.error());
                continue;
            }
            reclaimed += size;
            removed.push_back(v.name);
        }
        if (!removed.empty()) {
            std::cout << "Deleted Volumes:\n";
            for (const auto& n : removed)
                std::cout << n << "\n";
            std::cout << "\n";
        }
        std::cout << "Total reclaimed space: " << human_size(static_cast<double>(reclaimed), 4) << "\n";
        return 0;
    };
}

VerbRegistration reg {{.parent = "volume",
    .name = "prune",
    .aliases = {},
    .help = "Remove unused local volumes",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
