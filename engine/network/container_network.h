#pragma once
/// ContainerNetwork: everything network a running container has, set up in one step and torn
/// down in one: its endpoints on bridge networks (eth0, eth1, … in its namespace; default
/// route via the first network's gateway), its published-port listeners with their proxies
/// (forwarding to the address on the first network), and its embedded DNS on 127.0.0.11.
/// Also the data the runtime writes into /etc/hosts and /etc/resolv.conf.
///
/// attach() binds the host ports first (the likeliest failure), then the endpoints, then
/// starts the proxies, posts to `io` the install of the kernel DNAT fast path in front of them
/// (when usable; sweeping first the DNAT rules of this root's containers that no longer have
/// an endpoint: it runs once the caller is back in the io_context, the proxies serving until
/// then) and starts the DNS on `io`; any failure undoes what was done and returns the
/// error (e.g. `Bind for 0.0.0.0:8080 failed: port is already allocated`). detach() (also run
/// by the destructor) removes the DNAT rules, stops the handlers, closes the listeners and frees the endpoints; it
/// is idempotent. Runs on the io_context's thread (the monitor's only thread).

#include "engine/api/port.h"
#include "engine/base/result.h"
#include "engine/network/network.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace wharf::engine {

struct DnatTarget;

struct NetworkJoin {
    std::string network; ///< name or id
    std::vector<std::string> aliases;
    std::string ipv4; ///< requested (--ip), "" = allocate
};

struct ContainerNetworkRequest {
    std::string state_root;
    std::string container_id;
    std::string container_name;
    std::string hostname;
    std::vector<NetworkJoin> networks; ///< in order; the first one carries the default route
    std::vector<PortBinding> ports;
    std::vector<std::string> dns_upstreams; ///< --dns; "" = the host's resolvers
    bool embedded_dns = true;
    /// Also forward IPv4 published ports by kernel DNAT (engine/port/port_dnat.h); the
    /// listeners and proxies stay either way. Unusable nf_tables means the proxy alone.
    bool kernel_dnat = true;
    /// The `wharf` binary that applies the DNAT rules (engine/port/dnat_process.h): the
    /// monitor beside it cannot load libnftables. "" = no kernel DNAT, the proxy alone.
    std::string dnat_helper;
};

struct ContainerNetworkInfo {
    std::vector<std::pair<std::string, Endpoint>> endpoints; ///< (network name, endpoint)
    std::vector<PublishedPort> ports;
    std::vector<std::string> hosts_entries; ///< "10.89.0.2\tweb"
    std::vector<std::string> nameservers;   ///< {"127.0.0.11"} with embedded DNS
    std::vector<std::string> search;
    std::vector<std::string> options;       ///< {"ndots:0"}
    /// How the ports are forwarded: "kernel DNAT (being installed)" until the posted install
    /// ran, then "kernel DNAT", or "userland proxy" with the reason
    /// ("userland proxy (WHARF_USERLAND_PROXY)", "userland proxy (nft: Error: …)", "userland
    /// proxy (no DNAT helper)"); "" without ports.
    std::string forwarding;
};

class ContainerNetwork {
public:
    static Result<std::unique_ptr<ContainerNetwork>> attach(boost::asio::io_context& io,
                                                            const ContainerNetworkRequest& request, int netns_fd);
    ~ContainerNetwork();
    const ContainerNetworkInfo& info() const { return m_info; }
    void detach();

private:
    struct Handlers;
    ContainerNetwork(std::string root, std::string container_id);
    void install_dnat(const ContainerNetworkRequest& req, const DnatTarget& target);
    std::string m_root;
    std::string m_container_id;
    ContainerNetworkInfo m_info;
    std::unique_ptr<Handlers> m_handlers;
    bool m_detached = false;
    std::string m_dnat_helper; ///< set once kernel DNAT rules are installed: detach() removes them
    std::shared_ptr<void> m_alive; ///< expires with this object: the posted DNAT install checks it
};

/// Frees whatever a container left behind on the networks of `root` (its endpoints), for a
/// container whose monitor died without detaching. Safe when nothing is left.
Result<void> release_container_network(const std::string& root, const std::string& container_id);

/// The `-p`/`-P` requests of a container: every spec parsed, plus with `publish_all` one
/// ephemeral binding per exposed port ("80/tcp") not already published.
Result<std::vector<PortBinding>> collect_port_bindings(const std::vector<std::string>& publish, bool publish_all,
                                                       const std::vector<std::string>& exposed);

} // namespace wharf::engine
