// `wharf volume inspect [-f FORMAT] VOLUME...`.
#include "tools/wharf/format.h"
#include "tools/wharf/run_options.h"
#include "tools/wharf/volume_view.h"

#include <iostream>

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
        auto all = nlohmann::ordered_json::array();
        int rc = 0;
        for (const auto& n : *names) {
            auto v = eng->volumes().get(n);
            if (!v) {
                rc = report(v.error());
                continue;
            }
            auto j = volume_inspect_json(*v);
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

VerbRegistration reg {{.parent = "volume",
    .name = "inspect",
    .aliases = {},
    .help = "Display detailed information on one or more volumes",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
