// `wharf volume create [-d local] [--label K=V] [NAME]`: prints the volume's name.
#include "engine/network/network_store.h"
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::string name, driver = "local";
        std::vector<std::string> labels, options;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_option("-d,--driver", o->driver, "Specify volume driver name");
    cmd.add_option("--label", o->labels, "Set metadata for a volume")->type_size(1)->allow_extra_args(false);
    cmd.add_option("-o,--opt", o->options, "Set driver specific options")
        ->type_size(1)
        ->allow_extra_args(false);
    cmd.add_option("name", o->name, "VOLUME");
    return [o, &ctx] {
        if (o->driver != "local")
            return report(Error(Errc::Invalid,
                "create " + o->name + ": volume driver \"" + o->driver
                    + "\" is not supported (only \"local\")"));
        if (!o->options.empty())
            return report(Error(Errc::Invalid,
                "create " + o->name + ": driver options (-o " + o->options.front() + ") are not supported"));
        std::map<std::string, std::string> labels;
        for (const auto& l : o->labels) {
            auto eq = l.find('=');
            labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
        }
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        std::string name = o->name.empty() ? engine::random_hex_id(64) : o->name;
        auto v = eng->volumes().create(name, labels);
        if (!v)
            return report(v.error());
        std::cout << v->name << "\n";
        return 0;
    };
}

VerbRegistration reg {
    {.parent = "volume", .name = "create", .aliases = {}, .help = "Create a volume", .setup = setup}};

} // namespace
} // namespace wharf::cli
