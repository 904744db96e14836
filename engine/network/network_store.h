#pragma once
/// NetworkStore: the networks of one state root (<root>/networks/<id>.json) and the kernel
/// objects behind them: a Linux bridge per bridge network (gateway address on it, up), and a
/// veth pair per endpoint (host end enslaved to the bridge, container end inside the
/// container's netns as eth0, eth1, … with its leased address, up, default route via the
/// gateway on the first network, loopback up).
///
/// Every mutation holds <root>/networks/.lock; records are written atomically. Subnets are
/// chosen under a machine-wide lock (/run/lock/wharf-subnets.lock) against the host's routes
/// (so two state roots on one machine never pick the same subnet) and the root's networks.
/// Stale endpoints (their container's netns, hence their veth, is gone: a monitor was
/// SIGKILLed) are dropped, and their leases freed, by the next command that reads the store.
/// Predefined networks: `bridge` (the default for `run`; its bridge is created on first use;
/// named wharf0 under the default root, wh-<id> elsewhere so test roots never share it),
/// `host`, `none`.
/// Errors use Docker's texts: `network with name n1 already exists`, `network n1 not found`.

#include "engine/base/result.h"
#include "engine/network/ipam.h"
#include "engine/network/network.h"

#include <optional>
#include <string>
#include <vector>

namespace wharf::engine {

struct NetworkCreateOptions {
    std::string name;
    NetworkDriver driver = NetworkDriver::Bridge;
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> options;
    std::string subnet;  ///< "" = carved from the pools
    std::string gateway; ///< "" = first host address
    bool internal = false;
};

struct AttachRequest {
    std::string container_id;
    std::string container_name;
    std::vector<std::string> aliases;
    std::string ipv4;       ///< "" = lowest free address (--ip)
    std::string interface;  ///< name inside the container: "eth0"
    bool default_route = true;
};

class NetworkStore {
public:
    /// Opens (creating the directory) the store under `root`. Address pools come from
    /// <root>/config.json `default-address-pools` ([{"base":"10.89.0.0/16","size":24}]) when
    /// present, else default_address_pools().
    static Result<NetworkStore> open(const std::string& root);

    Result<NetworkRecord> create(const NetworkCreateOptions& options);
    /// By full name, full id, or unique id prefix. NotFound "network X not found".
    Result<NetworkRecord> find(const std::string& name_or_id);
    /// All networks sorted by name, predefined ones included.
    Result<std::vector<NetworkRecord>> list();
    /// Removes the bridge and the record. Fails (Conflict) while endpoints are attached, and
    /// for predefined networks.
    Result<void> remove(const std::string& name_or_id);
    /// Removes every unused, non-predefined network carrying all `labels`; returns their names.
    Result<std::vector<std::string>> prune(const std::map<std::string, std::string>& labels = {});

    /// Attaches the container whose network namespace is `netns_fd` to a bridge network.
    /// Leaves nothing behind on failure.
    Result<Endpoint> attach(const std::string& name_or_id, const AttachRequest& request, int netns_fd);
    /// Deletes the endpoint's veth and frees its lease; a missing endpoint is not an error.
    Result<void> detach(const std::string& name_or_id, const std::string& container_id);
    /// `wharf rename`: the container's endpoints on every network answer to `new_name` (and
    /// no longer to the old one) from now on; each DNS server sees the rewritten records at
    /// once. Returns how many endpoints changed (0 for a container on no network).
    Result<int> rename_endpoints(const std::string& container_id, const std::string& new_name);
    /// Drops endpoints whose host veth no longer exists; returns how many.
    Result<int> cleanup_stale();

    const std::string& root() const { return m_root; }

private:
    NetworkStore(std::string root, std::vector<AddressPool> pools) : m_root(std::move(root)), m_pools(std::move(pools)) {}
    std::string dir() const { return m_root + "/networks"; }
    Result<std::vector<NetworkRecord>> load_all();
    Result<void> save(const NetworkRecord& record);
    Result<void> ensure_predefined();
    Result<NetworkRecord> find_locked(const std::string& name_or_id);
    Result<int> cleanup_stale_locked();
    Result<void> ensure_bridge(const NetworkRecord& record);

    std::string m_root;
    std::vector<AddressPool> m_pools;
};

/// Random hex id (64 chars).
std::string random_hex_id(size_t length = 64);

/// The name Docker checks network names against: [a-zA-Z0-9][a-zA-Z0-9_.-]*.
bool valid_network_name(std::string_view name);

} // namespace wharf::engine
