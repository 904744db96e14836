// `wharf compose top [SERVICE...]`: for each running container of the services (default
// all), sorted by name, its name on a line and then its process table (container_top.h),
// as docker compose prints it: tabwriter minwidth 5, rows tab-terminated, a blank line after.
#include "tools/wharf/compose_session.h"
#include "tools/wharf/container_top.h"
#include "tools/wharf/format.h"

#include <algorithm>
#include <iostream>
#include <sstream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto services = std::make_shared<std::vector<std::string>>();
    cmd.add_option("services", *services, "Services (default: all)");
    return [services, &ctx] {
        auto session = open_for_services(ctx, *services);
        if (!session)
            return report(session.error());
        auto records = service_containers(*session, *services, true);
        if (!records)
            return report(records.error());
        std::erase_if(*records, [](const engine::ContainerRecord& r) {
            return r.state.status != engine::ContainerStatus::Running && r.state.status != engine::ContainerStatus::Paused;
        });
        std::sort(records->begin(), records->end(),
                  [](const auto& a, const auto& b) { return a.config.name < b.config.name; });
        for (const auto& r : *records) {
            auto table = container_top(r, {});
            if (!table)
                return report(table.error());
            // docker compose ends each process row with a tab (so CMD is padded too), not the titles.
            std::istringstream in(*table);
            std::string line, text;
            for (bool first = true; std::getline(in, line); first = false)
                text += line + (first ? "\n" : "\t\n");
            std::cout << r.config.name << "\n" << align_columns(text, 5) << "\n";
        }
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "top", .aliases = {}, .help = "Display the running processes", .setup = setup}};

} // namespace
} // namespace wharf::cli
