// `wharf volume inspect [-f FORMAT] VOLUME...`.
#include "tools/wharf/format.h"
#include "tools/wharf/run_options.h"
#include "tools/wharf/volume_view.h"

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto format = std::make_shared<std::string>();
    auto names = std::make_shared<std::vector<std::string>>();
    cmd.add_option("-f,--format", *format, "Format output using a custom template ('json' or a Go template)");
    cmd.add_option("volumes", *names, "VOLUME [VOLUME...]")->required();
    return [format, names, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        return print_inspect(*names, *format, [&](const std::string& n) -> Result<nlohmann::ordered_json> {
            return volume_inspect_json(TRY(eng->volumes().get(n)));
        });
    };
}

VerbRegistration reg {{.parent = "volume",
    .name = "inspect",
    .aliases = {},
    .help = "Display detailed information on one or more volumes",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
