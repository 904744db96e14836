#include "engine/network/container_network.h"

#include "engine/dns/dns_server.h"
#include "engine/network/network_store.h"
#include "engine/port/dnat_process.h"
#include "engine/port/port_proxy.h"
#include "engine/sys/file.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace wharf::engine {

struct ContainerNetwork::Handlers {
    std::vector<std::unique_ptr<PortProxy>> proxies;
    std::unique_ptr<dns::DnsServer> dns;
};

ContainerNetwork::ContainerNetwork(std::string root, std::string container_id)
    : m_root(std::move(root)), m_container_id(std::move(container_id)), m_handlers(std::make_unique<Handlers>()),
      m_alive(std::make_shared<int>(0)) {}

ContainerNetwork::~ContainerNetwork() { detach(); }

Result<std::unique_ptr<ContainerNetwork>> ContainerNetwork::attach(boost::asio::io_context& io,
                                                                   const ContainerNetworkRequest& req, int netns_fd)
{
    std::unique_ptr<ContainerNetwork> net(new ContainerNetwork(req.state_root, req.container_id));
    if (req.networks.empty() && !req.ports.empty())
        return Error(Errc::Invalid, "published ports need a network: the container has none");

    // 1. Host ports: bound now, so a taken one fails before anything else exists.
    auto listeners = TRY(bind_ports(req.ports));

    // 2. Endpoints. On failure `net`'s destructor detaches those already made.
    auto store = TRY(NetworkStore::open(req.state_root));
    DnatTarget dnat_target;
    for (size_t i = 0; i < req.networks.size(); ++i) {
        const auto& join = req.networks[i];
        AttachRequest a;
        a.container_id = req.container_id;
        a.container_name = req.container_name;
        a.aliases = join.aliases;
        a.ipv4 = join.ipv4;
        a.interface = "eth" + std::to_string(i);
        a.default_route = i == 0;
        auto ep = TRY(store.attach(join.network, a, netns_fd));
        auto record = TRY(store.find(join.network));
        net->m_info.endpoints.emplace_back(record.name, ep);
        std::string host_line = ep.ipv4 + "\t" + (req.hostname.empty() ? req.container_id.substr(0, 12) : req.hostname);
        if (i == 0) {
            net->m_info.hosts_entries.push_back(host_line);
            dnat_target = {ep.ipv4, record.subnet, record.bridge};
        }
    }

    // 3. Proxies, to the container's address on its first network.
    if (!listeners.empty()) {
        std::string target = net->m_info.endpoints.front().second.ipv4;
        for (auto& l : listeners) {
            PublishedPort p = l.port;
            auto proxy = TRY(PortProxy::start(io, std::move(l), {target, p.container_port}));
            net->m_handlers->proxies.push_back(std::move(proxy));
            net->m_info.ports.push_back(p);
        }
        // The proxies serve at once; the kernel fast path goes in just after, once the
        // monitor has reported the container started: the helper process and its rule
        // transaction cost ~10 ms, which `run -d -p` would otherwise wait for. Connections
        // made meanwhile stay with the proxy.
        net->m_info.forwarding = "kernel DNAT (being installed)";
        boost::asio::post(io, [alive = std::weak_ptr<void>(net->m_alive), raw = net.get(), req, dnat_target] {
            if (!alive.expired() && !raw->m_detached)
                raw->install_dnat(req, dnat_target);
        });
    }

    // 4. The embedded resolver inside the container's namespace.
    auto host_resolv = sys::read_file("/etc/resolv.conf");
    net->m_info.search = dns::search_domains(host_resolv ? *host_resolv : "");
    if (req.embedded_dns && !req.networks.empty()) {
        dns::DnsServerConfig config;
        config.root = req.state_root;
        config.container_id = req.container_id;
        config.netns_fd = netns_fd;
        config.upstreams = req.dns_upstreams;
        net->m_handlers->dns = TRY(dns::DnsServer::start(io, config));
        net->m_info.nameservers = {"127.0.0.11"};
        net->m_info.options = {"ndots:0"};
    } else if (!req.dns_upstreams.empty()) {
        net->m_info.nameservers = req.dns_upstreams;
    }
    return net;
}

void ContainerNetwork::install_dnat(const ContainerNetworkRequest& req, const DnatTarget& target)
{
    if (!req.kernel_dnat || req.dnat_helper.empty()) {
        m_info.forwarding = req.kernel_dnat ? "userland proxy (no DNAT helper)" : "userland proxy (WHARF_USERLAND_PROXY)";
        return;
    }
    DnatRequest install{DnatRequest::Kind::Install, m_root, m_container_id, target, m_info.ports};
    if (auto r = run_dnat_helper(req.dnat_helper, install); !r) {
        // No nf_tables (kernel, permissions): the proxy serves every port, as before.
        m_info.forwarding = "userland proxy (" + r.error().summary() + ")";
        if (const char* d = std::getenv("WHARF_DEBUG"); d && *d)
            std::fprintf(stderr, "wharf: debug: %s\n", m_info.forwarding.c_str());
        return;
    }
    m_dnat_helper = req.dnat_helper;
    m_info.forwarding = "kernel DNAT";
}

void ContainerNetwork::detach()
{
    if (m_detached)
        return;
    m_detached = true;
    if (!m_dnat_helper.empty()) {
        (void)run_dnat_helper(m_dnat_helper, {DnatRequest::Kind::Remove, m_root, m_container_id, {}, {}});
        m_dnat_helper.clear();
    }
    if (m_handlers) {
        if (m_handlers->dns)
            m_handlers->dns->stop();
        for (auto& p : m_handlers->proxies)
            p->stop();
        m_handlers.reset();
    }
    (void)release_container_network(m_root, m_container_id);
}

Result<void> release_container_network(const std::string& root, const std::string& container_id)
{
    auto store = TRY(NetworkStore::open(root));
    for (const auto& n : TRY(store.list()))
        if (n.endpoints.count(container_id))
            TRY(store.detach(n.id, container_id));
    return ok();
}

Result<std::vector<PortBinding>> collect_port_bindings(const std::vector<std::string>& publish, bool publish_all,
                                                       const std::vector<std::string>& exposed)
{
    std::vector<PortBinding> out;
    for (const auto& spec : publish)
        for (auto& b : TRY(parse_publish(spec)))
            out.push_back(std::move(b));
    if (publish_all) {
        for (const auto& e : exposed)
            for (const auto& cp : TRY(parse_container_ports(e))) {
                bool already = std::any_of(out.begin(), out.end(), [&](const PortBinding& b) {
                    return b.container_port == cp.port && b.proto == cp.proto;
                });
                if (!already)
                    out.push_back({"", 0, 0, cp.port, cp.proto});
            }
    }
    return out;
}

} // namespace wharf::engine
