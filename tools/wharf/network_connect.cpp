// `wharf network connect [--alias A] [--ip IP] NETWORK CONTAINER` and `network disconnect`.
// The network is added to (removed from) the container's configuration, so it joins at every
// start; a running container is also attached (detached) at once. Published ports keep
// forwarding to the address on the container's first network.
#include "tools/wharf/network_cli.h"
#include "tools/wharf/run_options.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <set>
#include <unistd.h>

namespace wharf::cli {
namespace {

template <bool Connect> VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::string network, container, ip;
        std::vector<std::string> aliases;
        bool force = false;
    };
    auto o = std::make_shared<Opts>();
    if (Connect) {
        cmd.add_option("--alias", o->aliases, "Add network-scoped alias for the container")
            ->type_size(1)
            ->allow_extra_args(false);
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
            return report(Error(Errc::Invalid,
                std::string("container cannot be ") + (Connect ? "connected to" : "disconnected from")
                    + " network " + net->name + ": only bridge networks can be joined"));
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto rec = eng->inspect(o->container);
        if (!rec)
            return report(rec.error());
        if (rec->state.status == engine::ContainerStatus::Restarting)
            return report(Error(Errc::Conflict,
                std::string("network ") + verb + " " + net->name + " " + rec->config.name
                    + ": the container is restarting; try again"));
        bool running = rec->state.status == engine::ContainerStatus::Running;
        const auto& mode = rec->config.network_mode;
        if (Connect && rec->config.networks.empty()
            && (mode == "none" || mode == "host" || mode.rfind("container:", 0) == 0))
            return report(Error(Errc::Invalid,
                "container " + rec->config.name + " uses network mode \"" + mode
                    + "\" and cannot be connected to another network"));
        auto& nets = rec->config.networks;
        auto it = std::find_if(nets.begin(), nets.end(),
            [&](const auto& a) { return a.network == net->name || a.network == net->id; });
        bool by_mode = nets.empty() && (mode == net->name || mode == net->id); // `run`'s default network
        if (Connect && (it != nets.end() || by_mode))
            return report(Error(Errc::Conflict,
                "endpoint with name " + rec->config.name + " already exists in network " + net->name));
        if (!Connect && it == nets.end() && !by_mode)
            return report(
                Error(Errc::NotFound, "container " + rec->id + " is not connected to network " + net->name));
        // A running container joins (or leaves) at once: a veth into its namespace. Its DNS
        // server re-reads the network records, so names on the new network resolve; the
        // monitor frees every endpoint of the container when it stops.
        std::string address;
        if (running) {
            if (Connect) {
                std::string ns_path = "/proc/" + std::to_string(rec->state.pid) + "/ns/net";
                sys::UniqueFd netns(::open(ns_path.c_str(), O_RDONLY | O_CLOEXEC));
                if (!netns)
                    return report(Error::from_errno("open " + ns_path, errno));
                auto all = store->list();
                if (!all)
                    return report(all.error());
                std::set<std::string> used; // interfaces the container has: the next free ethN
                for (const auto& n : *all)
                    if (auto e = n.endpoints.find(rec->id); e != n.endpoints.end())
                        used.insert(e->second.interface);
                int attached = 0;
                while (used.count("eth" + std::to_string(attached)))
                    ++attached;
                engine::AttachRequest req;
                req.container_id = rec->id;
                req.container_name = rec->config.name;
                req.aliases = o->aliases;
                req.ipv4 = o->ip;
                req.interface = "eth" + std::to_string(attached);
                req.default_route = used.empty();
                auto ep = store->attach(net->id, req, netns.get());
                if (!ep)
                    return report(
                        ep.error().context("network connect " + net->name + " " + rec->config.name));
                address = ep->ipv4;
            } else if (auto d = store->detach(net->id, rec->id); !d) {
                return report(d.error().context("network disconnect " + net->name + " " + rec->config.name));
            }
        }
        auto updated = eng->store().update(rec->id, [&](engine::ContainerRecord& r) {
            if (running) {
                if (Connect)
                    r.state.network_ips[net->name] = address;
                else
                    r.state.network_ips.erase(net->name);
            }
            auto& list = r.config.networks;
            if (Connect) {
                // `run`'s default ("bridge", no list) keeps the default bridge besides the new one.
                if (list.empty())
                    list.push_back({r.config.network_mode, {}, ""});
                list.push_back({net->name, o->aliases, o->ip});
            } else {
                list.erase(std::remove_if(list.begin(), list.end(),
                               [&](const auto& a) { return a.network == net->name || a.network == net->id; }),
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

VerbRegistration reg {{.parent = "network",
    .name = "connect",
    .aliases = {},
    .help = "Connect a container to a network",
    .setup = setup<true>}};
VerbRegistration reg2 {{.parent = "network",
    .name = "disconnect",
    .aliases = {},
    .help = "Disconnect a container from a network",
    .setup = setup<false>}};

} // namespace
} // namespace wharf::cli
