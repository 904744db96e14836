#pragma once
/// NetworkHook: how the network layer plugs into a container's monitor.
///
/// The monitor clones the container's init into new namespaces (mount, pid, uts, ipc, net;
/// cgroup once released) and keeps it blocked on a sync socket. Before releasing it, the
/// monitor calls attach() with the init's host pid and an fd on its network namespace, so
/// veths can be moved in and addresses, routes and DNS set. Whatever attach() returns goes
/// into the container's /etc/hosts and /etc/resolv.conf (written after attach(), before the
/// init runs) and into its record (ps's PORTS column, inspect's addresses).
///
/// attach() runs on the monitor's single thread, with `io` being the monitor's io_context:
/// port proxies and other long-lived handlers are registered there and run for as long as
/// the monitor does. detach() is called after the init exited (before a restart's attach(),
/// and at the end) to free addresses and close listeners; it must tolerate a partial attach.
///
/// The default hook (no network layer installed, or `--network none`) does nothing: the
/// container has its loopback interface only. Install a factory with install_network_hook()
/// from a translation unit that is linked into the binary (e.g. a static registration object
/// in a tools/wharf/*.cpp file, which are linked as objects).

#include "engine/api/container.h"

#include <functional>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace wharf::engine {

struct NetworkHookContext {
    const ContainerRecord& record;
    pid_t pid;           ///< the init's pid in the monitor's (host) pid namespace
    int netns_fd;        ///< open fd on /proc/<pid>/ns/net
    std::string state_root; ///< the engine root (WHARF_ROOT)
    boost::asio::io_context& io;
};

struct NetworkSetup {
    std::vector<std::string> hosts_entries; ///< extra /etc/hosts lines: "10.89.0.2\tweb abc123def456"
    std::vector<std::string> nameservers;   ///< empty: copy the host's usable nameservers
    std::vector<std::string> search;
    std::vector<std::string> options;       ///< resolv.conf options ("ndots:0")
    std::map<std::string, std::string> ips; ///< network name -> address, for the record
    std::vector<std::string> port_mappings; ///< Docker's PORTS entries, for the record
};

class NetworkHook {
public:
    virtual ~NetworkHook() = default;
    virtual Result<NetworkSetup> attach(const NetworkHookContext& ctx) = 0;
    virtual void detach(const ContainerRecord& record, const std::string& state_root) = 0;
};

using NetworkHookFactory = std::function<std::unique_ptr<NetworkHook>(const ContainerRecord&)>;

/// Replaces the factory the monitor asks for a hook (the last installed wins).
void install_network_hook(NetworkHookFactory factory);
/// The hook for `record`: the installed factory's, or the loopback-only default; the
/// default is also used for network_mode "none" and "host".
std::unique_ptr<NetworkHook> make_network_hook(const ContainerRecord& record);

} // namespace wharf::engine
