// `wharf volume ls [-q] [-f KEY=VALUE] [--format F]`: DRIVER VOLUME NAME.
#include "tools/wharf/format.h"
#include "tools/wharf/run_options.h"
#include "tools/wharf/volume_view.h"

#include <iostream>

namespace wharf::cli {
namespace {

const std::map<std::string, std::string> kHeaders = {{"Name", "VOLUME NAME"}, {"Driver", "DRIVER"},
    {"Scope", "SCOPE"}, {"Mountpoint", "MOUNTPOINT"}, {"Labels", "LABELS"}, {"Links", "LINKS"},
    {"Size", "SIZE"}, {"Group", "GROUP"}, {"Availability", "AVAILABILITY"}, {"Status", "STATUS"}};

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool quiet = false;
        std::vector<std::string> filters;
        std::string format;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-q,--quiet", o->quiet, "Only display volume names");
    cmd.add_option("-f,--filter", o->filters, "Provide filter values (e.g. \"dangling=true\")")
        ->type_size(1)
        ->allow_extra_args(false);
    cmd.add_option("--format", o->format,
        "Format output using a custom template ('table', 'table TEMPLATE', 'json', or a Go template)");
    return [o, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        std::vector<nlohmann::ordered_json> rows;
        for (const auto& v : eng->volumes().list()) {
            auto keep = volume_matches(v, !eng->volume_users(v.name).empty(), o->filters);
            if (!keep)
                return report(keep.error());
            if (!*keep)
                continue;
            if (o->quiet)
                std::cout << v.name << "\n";
            else
                rows.push_back(volume_row(v));
        }
        if (o->quiet)
            return 0;
        auto text = format_rows(o->format, rows, "{{.Driver}}\t{{.Name}}", kHeaders);
        if (!text)
            return report(text.error());
        std::cout << *text;
        return 0;
    };
}

VerbRegistration reg {
    {.parent = "volume", .name = "ls", .aliases = {"list"}, .help = "List volumes", .setup = setup}};

} // namespace
} // namespace wharf::cli
