#pragma once
/// PortProxy: the userland proxy for one published listener, run as handlers on an existing
/// Boost.Asio io_context (the container monitor's: no extra process or thread).
///
/// TCP: accepts, connects to the container address, then moves bytes in both directions with
/// splice(2) through a pipe per direction (zero-copy: data never enters user space). A
/// direction stops reading while its pipe cannot drain (back-pressure); EOF on one side is
/// passed on as shutdown(SHUT_WR) (half-close); a connection is closed, with all its fds,
/// when both directions ended or either failed. A failed connect closes the client.
/// UDP: one connected socket to the container per client address (Docker's "conntrack"
/// map), replies sent back from the listener, flows dropped after 90 s without traffic.
/// stop() (and the destructor) closes the listener and every connection. Everything runs on
/// the io_context's thread; not thread-safe otherwise.

#include "engine/base/result.h"
#include "engine/port/port_allocator.h"

#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace wharf::engine {

struct ProxyTarget {
    std::string ip; ///< the container's address, "10.89.0.2"
    uint16_t port = 0;
};

class PortProxy {
public:
    /// Starts serving `listener` (from bind_ports) on `io`; returns once handlers are queued.
    static Result<std::unique_ptr<PortProxy>> start(boost::asio::io_context& io, BoundPort listener, ProxyTarget target);
    virtual ~PortProxy() = default;
    virtual void stop() = 0;
    virtual const PublishedPort& port() const = 0;
    /// Open client connections (TCP) or flows (UDP).
    virtual size_t active() const = 0;
};

} // namespace wharf::engine
