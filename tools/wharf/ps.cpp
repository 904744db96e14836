// `wharf ps [-a] [-q] [--no-trunc] [-f KEY=VALUE] [--format F] [-n N] [-l]`.
#include "tools/wharf/container_view.h"
#include "tools/wharf/format.h"
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

const std::map<std::string, std::string> kHeaders = {
    {"ID", "CONTAINER ID"}, {"Image", "IMAGE"}, {"Command", "COMMAND"}, {"CreatedAt", "CREATED AT"},
    {"RunningFor", "CREATED"}, {"Ports", "PORTS"}, {"State", "STATE"}, {"Status", "STATUS"},
    {"Names", "NAMES"}, {"Labels", "LABELS"}, {"Mounts", "MOUNTS"}, {"Networks", "NETWORKS"},
    {"Size", "SIZE"}, {"LocalVolumes", "LOCAL VOLUMES"}};

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool all = false, quiet = false, no_trunc = false, latest = false, size = false;
        int last = -1;
        std::vector<std::string> filters;
        std::string format;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-a,--all", o->all, "Show all containers (default shows just running)");
    cmd.add_flag("-q,--quiet", o->quiet, "Only display container IDs");
    cmd.add_flag("--no-trunc", o->no_trunc, "Don't truncate output");
    cmd.add_flag("-l,--latest", o->latest, "Show the latest created container (includes all states)");
    cmd.add_option("-n,--last", o->last, "Show n last created containers (includes all states)");
    cmd.add_flag("-s,--size", o->size, "Display total file sizes");
    cmd.add_option("-f,--filter", o->filters, "Filter output based on conditions provided")->type_size(1)->allow_extra_args(false);
    cmd.add_option("--format", o->format, "Format output using a custom template");
    return [o, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        engine::ListFilter filter;
        filter.all = o->all || o->latest || o->last >= 0;
        for (const auto& f : o->filters)
            if (auto r = engine::add_filter(filter, f); !r)
                return report(r.error());
        auto records = eng->list(filter);
        if (o->latest && records.size() > 1)
            records.resize(1);
        if (o->last >= 0 && records.size() > static_cast<size_t>(o->last))
            records.resize(static_cast<size_t>(o->last));
        if (o->quiet) {
            for (const auto& r : records)
                std::cout << (o->no_trunc ? r.id : r.id.substr(0, 12)) << "\n";
            return 0;
        }
        std::vector<nlohmann::ordered_json> rows;
        for (const auto& r : records)
            rows.push_back(ps_row(r, o->no_trunc));
        auto text = format_rows(o->format, rows,
                                "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}", kHeaders);
        if (!text)
            return report(text.error());
        std::cout << *text;
        return 0;
    };
}

VerbRegistration reg{{.parent = "container", .name = "ls", .aliases = {"ps", "list"}, .help = "List containers", .setup = setup}};
VerbRegistration top{{.parent = "", .name = "ps", .aliases = {}, .help = "List containers", .setup = setup}};

} // namespace
} // namespace wharf::cli
