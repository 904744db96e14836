// `wharf network connect [--alias A] [--ip IP] NETWORK CONTAINER` and `network disconnect`.
// A container that is not running gets the network added to (or removed from) its
// configuration; it joins at its next start. Changing the networks of a running container
// needs its monitor's cooperation (DNS, proxies), which does not exist yet: a clear error.
#include "tools/wharf/network_cli.h"
#include "tools/wharf/run_options.h"

#include <algorithm>

namespace wharf::cli {
namespace {

template <bool Connect>
VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::string network, container, ip;
        std::vector<std::string> aliases;
        bool force = false;
    };
    auto o = std::make_shared<Opts>();
    if (Connect) {
        cmd.add_option("--alias", o->aliases, "Add network-scoped alias for the container")->type_size(1)->allow_extra_args(false);
        cmd.add_option("--ip", o->ip, "IPv4 address (e.g., \"172.30.100.104\")");
    } else {
        cmd.add_flag("-f,--force", o->force, "Force the container to disconnect from a network");
    }
    cmd.add_option("network", o->network, "NETWORK")->required();
    cmd.add_option("container", o->container, "CONTAINER")->required();
    return [o, &ctx] {
        const char* verb = Connect ? "connect" : "disconnect";
        auto store = open_network_store(ctx);
        if (!store)
            return report(store.error());
        auto net = store->find(o->network);
        if (!net)
            return report(net.error());
        if (net->driver != engine::NetworkDriver::Bridge)
            return report(Error(Errc::Invalid, std::string("container cannot be ") + (Connect ? "connected to" : "disconnected from") +
                                                   " network " + net->name + ": only bridge networks can be joined"));
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto rec = eng->inspect(o->container);
        if (!rec)
            return report(rec.error());
        if (engine::is_active(*rec))
            return report(Error(Errc::Conflict, std::string("network ") + verb + " " + net->name + " " + rec->config.name +
                                                    ": not supported for running containers yet; stop the container first"));
        const auto& mode = rec->config.network_mode;
        if (Connect && rec->config.networks.empty() && (mode == "none" || mode == "host" || mode.rfind("container:", 0) == 0))
            return report(Error(Errc::Invalid, "container " + rec->config.name + " uses network mode \"" + mode +
                                                   "\" and cannot be connected to another network"));
        auto& nets = rec->config.networks;
        auto it = std::find_if(nets.begin(), nets.end(), [&](const auto& a) { return a.network == net->name || a.network == net->id; });
        if (Connect && it != nets.end())
            return report(Error(Errc::Conflict, "endpoint with name " + rec->config.name + " already exists in network " + net->name));
        if (!Connect && it == nets.end())
            return report(Error(Errc::NotFound, "container " + rec->id + " is not connected to network " + net->name));
        auto updated = eng->store().update(rec->id, [&](engine::ContainerRecord& r) {
            auto& list = r.config.networks;
            if (Connect) {
                // `run`'s default ("bridge", no list) keeps the default bridge besides the new one.
                if (list.empty())
                    list.push_back({r.config.network_mode, {}, ""});
                list.push_back({net->name, o->aliases, o->ip});
            } else {
                list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& a) { return a.network == net->name || a.network == net->id; }),
                           list.end());
                if (list.empty())
                    r.config.network_mode = "none";
                else if (r.config.network_mode == net->name)
                    r.config.network_mode = list.front().network;
            }
        });
        if (!updated)
            return report(updated.error());
        return 0;
    };
}

VerbRegistration reg{{.parent = "network", .name = "connect", .aliases = {}, .help = "Connect a container to a network", .setup = setup<true>}};
VerbRegistration reg2{{.parent = "network", .name = "disconnect", .aliases = {}, .help = "Disconnect a container from a network", .setup = setup<false>}};

} // namespace
} // namespace wharf::cli
