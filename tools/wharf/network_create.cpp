// `wharf network create [-d bridge] [--subnet CIDR] [--gateway IP] [--label K=V] [--internal]
// [-o K=V] NAME`: prints the new network's ID.
#include "tools/wharf/network_cli.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::string name, driver = "bridge";
        std::vector<std::string> subnets, gateways, labels, options, ip_ranges;
        bool internal = false, attachable = false, ipv6 = false;
    };
    auto o = std::make_shared<Opts>();
    auto multi = [&](const char* flag, std::vector<std::string>& v, const char* help) {
        cmd.add_option(flag, v, help)->type_size(1)->allow_extra_args(false);
    };
    cmd.add_option("-d,--driver", o->driver, "Driver to manage the Network");
    multi("--subnet", o->subnets, "Subnet in CIDR format that represents a network segment");
    multi("--gateway", o->gateways, "IPv4 or IPv6 Gateway for the master subnet");
    multi("--ip-range", o->ip_ranges, "Allocate container ip from a sub-range");
    multi("--label", o->labels, "Set metadata on a network");
    multi("-o,--opt", o->options, "Set driver specific options");
    cmd.add_flag("--internal", o->internal, "Restrict external access to the network");
    cmd.add_flag("--attachable", o->attachable, "Enable manual container attachment");
    cmd.add_flag("--ipv6", o->ipv6, "Enable IPv6 networking");
    cmd.add_option("name", o->name, "NETWORK")->required();
    return [o, &ctx] {
        auto kv = [](const std::vector<std::string>& list) {
            std::map<std::string, std::string> m;
            for (const auto& l : list) {
                auto eq = l.find('=');
                m[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
            }
            return m;
        };
        if (o->driver != "bridge")
            return report(Error(Errc::Invalid,
                "network create " + o->name + ": driver \"" + o->driver
                    + "\" is not supported (only \"bridge\")"));
        if (o->ipv6)
            return report(
                Error(Errc::Invalid, "network create " + o->name + ": --ipv6 is not supported yet"));
        if (!o->ip_ranges.empty())
            return report(
                Error(Errc::Invalid, "network create " + o->name + ": --ip-range is not supported yet"));
        if (o->subnets.size() > 1 || o->gateways.size() > 1)
            return report(Error(Errc::Invalid,
                "network create " + o->name + ": only one --subnet and one --gateway are supported"));
        if (!o->gateways.empty() && o->subnets.empty())
            return report(Error(Errc::Invalid, "every ip-range or gateway must have a corresponding subnet"));
        engine::NetworkCreateOptions opts;
        opts.name = o->name;
        opts.labels = kv(o->labels);
        opts.options = kv(o->options);
        opts.subnet = o->subnets.empty() ? "" : o->subnets.front();
        opts.gateway = o->gateways.empty() ? "" : o->gateways.front();
        opts.internal = o->internal;
        auto store = open_network_store(ctx);
        if (!store)
            return report(store.error());
        auto r = store->create(opts);
        if (!r)
            return report(r.error());
        std::cout << r->id << "\n";
        return 0;
    };
}

VerbRegistration reg {
    {.parent = "network", .name = "create", .aliases = {}, .help = "Create a network", .setup = setup}};

} // namespace
} // namespace wharf::cli
