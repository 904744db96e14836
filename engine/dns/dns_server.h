#pragma once
/// DnsServer: the embedded resolver of one container, as Docker's 127.0.0.11. It runs as
/// handlers on the container monitor's io_context; its UDP and TCP sockets are created inside
/// the container's network namespace on 127.0.0.11:53 (no NAT needed), so the container's
/// /etc/resolv.conf says `nameserver 127.0.0.11`.
///
/// Answers A (and PTR) for names on the networks the container shares (name_table.h), read
/// from <root>/networks on demand (re-read when the directory changes, so containers coming
/// and going are seen at once), TTL 600, several addresses in random order; AAAA/MX of a
/// known name get an empty NOERROR. Everything else is forwarded, from the host's namespace
/// (so a host resolver on 127.0.0.53 works), to the upstreams one after the other, each
/// with a timeout; all failing gives SERVFAIL.
/// Runs on the io_context's thread only.

#include "engine/base/result.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace wharf::engine::dns {

struct DnsServerConfig {
    std::string root;         ///< state root; networks are read from <root>/networks
    std::string container_id;
    int netns_fd = -1;        ///< the container's network namespace (-1: this one, for tests)
    std::string listen_ip = "127.0.0.11";
    uint16_t port = 53;
    std::vector<std::string> upstreams; ///< "ip" or "ip:port" (IPv6 in brackets with a port)
    std::chrono::milliseconds upstream_timeout{4000};
};

class DnsServer {
public:
    static Result<std::unique_ptr<DnsServer>> start(boost::asio::io_context& io, DnsServerConfig config);
    virtual ~DnsServer() = default;
    virtual void stop() = 0;
};

/// The host's upstream resolvers: the nameservers of `resolv_conf`; when those are only
/// systemd-resolved's stub (127.0.0.53), those of `systemd_resolv_conf` instead (if given).
std::vector<std::string> host_upstreams(const std::string& resolv_conf, const std::string& systemd_resolv_conf = {});

/// The `search` domains of a resolv.conf, in order.
std::vector<std::string> search_domains(const std::string& resolv_conf);

} // namespace wharf::engine::dns
