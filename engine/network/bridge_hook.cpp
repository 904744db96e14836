#include "engine/network/bridge_hook.h"

#include "engine/network/container_network.h"
#include "engine/port/dnat_process.h"

#include <boost/asio/io_context.hpp>

namespace wharf::engine {

namespace {

ContainerNetworkRequest network_request(const ContainerRecord& record, const std::string& root)
{
    const auto& c = record.config;
    ContainerNetworkRequest req;
    req.state_root = root;
    req.container_id = record.id;
    req.container_name = c.name;
    req.hostname = c.hostname;
    req.dns_upstreams = c.dns;
    if (!c.networks.empty()) {
        for (const auto& n : c.networks)
            req.networks.push_back({n.network, n.aliases, n.ipv4_address});
    } else {
        req.networks.push_back({c.network_mode.empty() ? "bridge" : c.network_mode, {}, ""});
    }
    return req;
}

class BridgeHook final : public NetworkHook {
public:
    Result<NetworkSetup> attach(const NetworkHookContext& ctx) override
    {
        auto req = network_request(ctx.record, ctx.state_root);
        const auto& c = ctx.record.config;
        req.ports = TRY(collect_port_bindings(c.publish, c.publish_all, c.exposed_ports));
        req.kernel_dnat = !userland_proxy_forced();
        if (auto wharf = wharf_beside_self())
            req.dnat_helper = *wharf;
        m_net = TRY(ContainerNetwork::attach(ctx.io, req, ctx.netns_fd));
        const auto& info = m_net->info();
        NetworkSetup setup;
        setup.hosts_entries = info.hosts_entries;
        setup.nameservers = info.nameservers;
        setup.search = info.search;
        setup.options = info.options;
        for (const auto& [name, ep] : info.endpoints)
            setup.ips[name] = ep.ipv4;
        for (const auto& p : info.ports)
            setup.port_mappings.push_back(format_port_mapping(p));
        return setup;
    }

    void detach(const ContainerRecord& record, const std::string& state_root) override
    {
        if (m_net) {
            m_net->detach();
            m_net.reset();
        } else {
            (void)release_container_network(state_root, record.id);
        }
    }

private:
    std::unique_ptr<ContainerNetwork> m_net;
};

} // namespace

void install_bridge_network_hook()
{
    install_network_hook([](const ContainerRecord&) -> std::unique_ptr<NetworkHook> {
        return std::make_unique<BridgeHook>();
    });
}

} // namespace wharf::engine
