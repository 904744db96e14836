// `wharf network inspect [-f FORMAT] NETWORK...`.
#include "tools/wharf/format.h"
#include "tools/wharf/network_cli.h"
#include "tools/wharf/network_view.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto format = std::make_shared<std::string>();
    auto names = std::make_shared<std::vector<std::string>>();
    auto verbose = std::make_shared<bool>(false);
    cmd.add_option("-f,--format", *format, "Format output using a custom template ('json' or a Go template)");
    cmd.add_flag("-v,--verbose", *verbose, "Verbose output for diagnostics");
    cmd.add_option("networks", *names, "NETWORK [NETWORK...]")->required();
    return [format, names, &ctx] {
        auto store = open_network_store(ctx);
        if (!store)
            return report(store.error());
        auto all = nlohmann::ordered_json::array();
        int rc = 0;
        for (const auto& n : *names) {
            auto r = store->find(n);
            if (!r) {
                rc = report(r.error());
                continue;
            }
            auto j = network_inspect_json(*r);
            if (!format->empty() && *format != "json") {
                auto s = format_one(*format, j);
                if (!s)
                    return report(s.error());
                std::cout << *s << "\n";
            } else {
                all.push_back(j);
            }
        }
        if (format->empty() || *format == "json")
            std::cout << all.dump(4) << "\n";
        return rc;
    };
}

VerbRegistration reg {{.parent = "network",
    .name = "inspect",
    .aliases = {},
    .help = "Display detailed information on one or more networks",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
