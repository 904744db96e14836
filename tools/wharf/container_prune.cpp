// `wharf container prune [-f] [--filter label=…]`: removes every stopped container; prints
// their IDs and the space their writable layers took.
#include "engine/container/runtime.h"
#include "engine/sys/disk_usage.h"
#include "tools/wharf/human.h"
#include "tools/wharf/prompt.h"
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto force = std::make_shared<bool>(false);
    auto filters = std::make_shared<std::vector<std::string>>();
    cmd.add_flag("-f,--force", *force, "Do not prompt for confirmation");
    cmd.add_option("--filter", *filters, "Provide filter values (e.g. \"label=<key>=<value>\")")
        ->type_size(1)
        ->allow_extra_args(false);
    return [force, filters, &ctx] {
        engine::ListFilter filter;
        filter.all = true;
        for (const auto& f : *filters) {
            if (f.rfind("label=", 0) != 0)
                return report(Error(Errc::Invalid, "invalid filter '" + f.substr(0, f.find('=')) + "'"));
            filter.labels.push_back(f.substr(6));
        }
        if (!*force && !confirm("WARNING! This will remove all stopped containers."))
            return report(Error(Errc::Interrupted, "container prune has been cancelled"));
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        std::vector<std::string> removed;
        uint64_t reclaimed = 0;
        for (const auto& r : eng->list(filter)) {
            if (engine::is_active(r) || r.state.status == engine::ContainerStatus::Paused)
                continue;
            uint64_t size = sys::disk_usage(engine::container_paths(eng->store(), r.id).upper);
            if (auto rm = eng->remove(r.id); !rm) {
                report(rm.error());
                continue;
            }
            reclaimed += size;
            removed.push_back(r.id);
        }
        if (!removed.empty()) {
            std::cout << "Deleted Containers:\n";
            for (const auto& id : removed)
                std::cout << id << "\n";
            std::cout << "\n";
        }
        std::cout << "Total reclaimed space: " << human_size(static_cast<double>(reclaimed), 4) << "\n";
        return 0;
    };
}

VerbRegistration reg {{.parent = "container",
    .name = "prune",
    .aliases = {},
    .help = "Remove all stopped containers",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
