// `wharf network ls [-q] [--no-trunc] [-f KEY=VALUE] [--format F]`: NETWORK ID NAME DRIVER SCOPE.
#include "tools/wharf/format.h"
#include "tools/wharf/network_cli.h"
#include "tools/wharf/network_view.h"

#include <iostream>

namespace wharf::cli {
namespace {

const std::map<std::string, std::string> kHeaders
    = {{"ID", "NETWORK ID"}, {"Name", "NAME"}, {"Driver", "DRIVER"}, {"Scope", "SCOPE"}, {"IPv6", "IPV6"},
        {"Internal", "INTERNAL"}, {"Labels", "LABELS"}, {"CreatedAt", "CREATED"}};

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool quiet = false, no_trunc = false;
        std::vector<std::string> filters;
        std::string format;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-q,--quiet", o->quiet, "Only display network IDs");
    cmd.add_flag("--no-trunc", o->no_trunc, "Do not truncate the output");
    cmd.add_option("-f,--filter", o->filters, "Provide filter values (e.g. \"driver=bridge\")")
        ->type_size(1)
        ->allow_extra_args(false);
    cmd.add_option("--format", o->format,
        "Format output using a custom template ('table', 'table TEMPLATE', 'json', or a Go template)");
    return [o, &ctx] {
        auto store = open_network_store(ctx);
        if (!store)
            return report(store.error());
        auto nets = store->list();
        if (!nets)
            return report(nets.error());
        std::vector<nlohmann::ordered_json> rows;
        for (const auto& n : *nets) {
            auto keep = network_matches(n, o->filters);
            if (!keep)
                return report(keep.error());
            if (!*keep)
                continue;
            if (o->quiet)
                std::cout << (o->no_trunc ? n.id : n.id.substr(0, 12)) << "\n";
            else
                rows.push_back(network_row(n, o->no_trunc));
        }
        if (o->quiet)
            return 0;
        auto text = format_rows(o->format, rows, "{{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}", kHeaders);
        if (!text)
            return report(text.error());
        std::cout << *text;
        return 0;
    };
}

VerbRegistration reg {
    {.parent = "network", .name = "ls", .aliases = {"list"}, .help = "List networks", .setup = setup}};

} // namespace
} // namespace wharf::cli
