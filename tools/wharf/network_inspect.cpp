// `wharf network inspect [-f FORMAT] NETWORK...`.
#include "tools/wharf/format.h"
#include "tools/wharf/network_cli.h"
#include "tools/wharf/network_view.h"

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
        return print_inspect(*names, *format, [&](const std::string& n) -> Result<nlohmann::ordered_json> {
            return network_inspect_json(TRY(store->find(n)));
        });
    };
}

VerbRegistration reg {{.parent = "network",
    .name = "inspect",
    .aliases = {},
    .help = "Display detailed information on one or more networks",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
