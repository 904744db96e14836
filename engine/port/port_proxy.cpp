// The userland proxy, modelled on docker-proxy but zero-copy: splice(2) moves bytes
// socket -> pipe -> socket inside the kernel; Boost.Asio only tells us when to try again.
#include "engine/port/port_proxy.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fcntl.h>
#include <map>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

namespace wharf::engine {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;

constexpr int kPipeSize = 512 * 1024;
constexpr auto kUdpIdle = std::chrono::seconds(90);

struct Pipe {
    sys::UniqueFd r, w;
    size_t capacity = 65536;
    size_t bytes = 0;

    static Result<Pipe> create()
    {
        int fds[2];
        if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
            return Error::from_errno("pipe2(2)", errno);
        Pipe p;
        p.r.reset(fds[0]);
        p.w.reset(fds[1]);
        // A bigger pipe means fewer wake-ups per byte; the kernel may refuse past the user's
        // pipe-user-pages-soft budget, and then the default 64 KiB is used.
        fcntl(fds[1], F_SETPIPE_SZ, kPipeSize);
        int size = fcntl(fds[1], F_GETPIPE_SZ);
        if (size > 0)
            p.capacity = static_cast<size_t>(size);
        return p;
    }
};

class TcpState;

class TcpConnection : public std::enable_shared_from_this<TcpConnection> {
public:
    TcpConnection(asio::io_context& io, tcp::socket client, std::weak_ptr<TcpState> owner)
        : m_client(std::move(client)), m_server(io), m_owner(std::move(owner)) {}

    void start(const tcp::endpoint& target);
    void close();

private:
    struct Direction {
        tcp::socket* from;
        tcp::socket* to;
        Pipe pipe;
        bool eof = false;
        bool done = false;
    };
    void pump(Direction& d);

    tcp::socket m_client, m_server;
    Direction m_up{}, m_down{};
    std::weak_ptr<TcpState> m_owner;
    bool m_closed = false;
};

class TcpState : public std::enable_shared_from_this<TcpState> {
public:
    TcpState(asio::io_context& io, tcp::endpoint target) : m_io(io), m_acceptor(io), m_target(std::move(target)) {}

    void accept()
    {
        m_acceptor.async_accept([self = shared_from_this()](const error_code& ec, tcp::socket client) {
            if (self->m_stopped)
                return;
            if (!ec) {
                auto conn = std::make_shared<TcpConnection>(self->m_io, std::move(client), self);
                self->m_connections.insert(conn);
                conn->start(self->m_target);
            } else if (ec == asio::error::operation_aborted) {
                return;
            }
            // EMFILE and friends: keep accepting; the client's connect will be retried.
            self->accept();
        });
    }

    void stop()
    {
        m_stopped = true;
        error_code ignored;
        m_acceptor.close(ignored);
        auto conns = std::move(m_connections);
        for (const auto& c : conns)
            c->close();
    }

    void forget(const std::shared_ptr<TcpConnection>& c) { m_connections.erase(c); }

    asio::io_context& m_io;
    tcp::acceptor m_acceptor;
    tcp::endpoint m_target;
    std::set<std::shared_ptr<TcpConnection>> m_connections;
    bool m_stopped = false;
};

void TcpConnection::start(const tcp::endpoint& target)
{
    auto up = Pipe::create();
    auto down = Pipe::create();
    if (!up || !down) {
        close();
        return;
    }
    m_up = Direction{&m_client, &m_server, std::move(*up)};
    m_down = Direction{&m_server, &m_client, std::move(*down)};
    m_server.async_connect(target, [self = shared_from_this()](const error_code& ec) {
        if (self->m_closed)
            return;
        if (ec) { // docker-proxy: log and close the client
            self->close();
            return;
        }
        self->m_client.non_blocking(true);
        self->m_server.non_blocking(true);
        int one = 1;
        setsockopt(self->m_server.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setsockopt(self->m_client.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        self->pump(self->m_up);
        self->pump(self->m_down);
    });
}

void TcpConnection::pump(Direction& d)
{
    enum class Io { Progress, Again, Idle };
    for (;;) {
        if (m_closed)
            return;
        Io fill = Io::Idle;
        if (!d.eof && d.pipe.bytes < d.pipe.capacity) {
            ssize_t n = splice(d.from->native_handle(), nullptr, d.pipe.w.get(), nullptr, d.pipe.capacity - d.pipe.bytes,
                               SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (n > 0) {
                d.pipe.bytes += static_cast<size_t>(n);
                fill = Io::Progress;
            } else if (n == 0) {
                d.eof = true;
            } else if (errno == EAGAIN) {
                fill = Io::Again;
            } else if (errno != EINTR) {
                close();
                return;
            }
        }
        Io drain = Io::Idle;
        if (d.pipe.bytes > 0) {
            ssize_t n = splice(d.pipe.r.get(), nullptr, d.to->native_handle(), nullptr, d.pipe.bytes,
                               SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (n > 0) {
                d.pipe.bytes -= static_cast<size_t>(n);
                drain = Io::Progress;
            } else if (n < 0 && errno == EAGAIN) {
                drain = Io::Again;
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else { // EPIPE, ECONNRESET: the peer is gone
                close();
                return;
            }
        }
        if (d.eof && d.pipe.bytes == 0) {
            // Half-close: the other side learns of the EOF, the opposite direction goes on.
            ::shutdown(d.to->native_handle(), SHUT_WR);
            d.done = true;
            if (m_up.done && m_down.done)
                close();
            return;
        }
        auto self = shared_from_this();
        if (drain == Io::Again) { // back-pressure: stop reading until the receiver drains
            d.to->async_wait(tcp::socket::wait_write, [self, &d](const error_code& ec) {
                if (!ec)
                    self->pump(d);
            });
            return;
        }
        if (fill == Io::Again && d.pipe.bytes == 0) {
            d.from->async_wait(tcp::socket::wait_read, [self, &d](const error_code& ec) {
                if (!ec)
                    self->pump(d);
            });
            return;
        }
    }
}

void TcpConnection::close()
{
    if (m_closed)
        return;
    m_closed = true;
    error_code ignored;
    m_client.close(ignored);
    m_server.close(ignored);
    m_up.pipe = Pipe{};
    m_down.pipe = Pipe{};
    if (auto owner = m_owner.lock())
        owner->forget(shared_from_this());
}

class TcpProxy final : public PortProxy {
public:
    TcpProxy(PublishedPort port, std::shared_ptr<TcpState> state) : m_port(std::move(port)), m_state(std::move(state)) {}
    ~TcpProxy() override { stop(); }
    void stop() override { m_state->stop(); }
    const PublishedPort& port() const override { return m_port; }
    size_t active() const override { return m_state->m_connections.size(); }

private:
    PublishedPort m_port;
    std::shared_ptr<TcpState> m_state;
};

class UdpState;

struct UdpFlow : std::enable_shared_from_this<UdpFlow> {
    UdpFlow(asio::io_context& io, udp::endpoint client) : socket(io), timer(io), client(std::move(client)) {}
    udp::socket socket;
    asio::steady_timer timer;
    udp::endpoint client;
    std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
    std::vector<char> buffer = std::vector<char>(65507);
    bool closed = false;
};

class UdpState : public std::enable_shared_from_this<UdpState> {
public:
    UdpState(asio::io_context& io, udp::endpoint target) : m_io(io), m_listener(io), m_target(std::move(target)) {}

    void receive()
    {
        m_listener.async_receive_from(asio::buffer(m_buffer), m_sender,
                                      [self = shared_from_this()](const error_code& ec, size_t n) {
            if (self->m_stopped || ec == asio::error::operation_aborted)
                return;
            if (!ec)
                self->forward(n);
            self->receive();
        });
    }

    void forward(size_t n)
    {
        auto it = m_flows.find(m_sender);
        if (it == m_flows.end()) {
            auto flow = std::make_shared<UdpFlow>(m_io, m_sender);
            error_code ec;
            flow->socket.open(m_target.protocol(), ec);
            if (!ec)
                flow->socket.connect(m_target, ec);
            if (ec)
                return;
            flow->socket.non_blocking(true);
            it = m_flows.emplace(m_sender, flow).first;
            read_replies(flow);
            arm(flow);
        }
        auto& flow = it->second;
        flow->last = std::chrono::steady_clock::now();
        error_code ignored; // ECONNREFUSED from an earlier datagram, or a full buffer: UDP drops
        flow->socket.send(asio::buffer(m_buffer.data(), n), 0, ignored);
    }

    void read_replies(const std::shared_ptr<UdpFlow>& flow)
    {
        flow->socket.async_receive(asio::buffer(flow->buffer), [self = shared_from_this(), flow](const error_code& ec, size_t n) {
            if (flow->closed || self->m_stopped || ec == asio::error::operation_aborted)
                return;
            if (!ec) {
                flow->last = std::chrono::steady_clock::now();
                error_code ignored;
                self->m_listener.send_to(asio::buffer(flow->buffer.data(), n), flow->client, 0, ignored);
            }
            // ECONNREFUSED (nothing listens in the container yet) is not fatal, as docker-proxy.
            self->read_replies(flow);
        });
    }

    void arm(const std::shared_ptr<UdpFlow>& flow)
    {
        flow->timer.expires_at(flow->last + kUdpIdle);
        flow->timer.async_wait([self = shared_from_this(), flow](const error_code& ec) {
            if (ec || flow->closed || self->m_stopped)
                return;
            if (std::chrono::steady_clock::now() - flow->last >= kUdpIdle) {
                self->drop(flow);
                return;
            }
            self->arm(flow);
        });
    }

    void drop(const std::shared_ptr<UdpFlow>& flow)
    {
        flow->closed = true;
        error_code ignored;
        flow->socket.close(ignored);
        flow->timer.cancel();
        m_flows.erase(flow->client);
    }

    void stop()
    {
        m_stopped = true;
        error_code ignored;
        m_listener.close(ignored);
        auto flows = m_flows;
        for (auto& [ep, f] : flows)
            drop(f);
    }

    asio::io_context& m_io;
    udp::socket m_listener;
    udp::endpoint m_target;
    udp::endpoint m_sender;
    std::vector<char> m_buffer = std::vector<char>(65507);
    std::map<udp::endpoint, std::shared_ptr<UdpFlow>> m_flows;
    bool m_stopped = false;
};

class UdpProxy final : public PortProxy {
public:
    UdpProxy(PublishedPort port, std::shared_ptr<UdpState> state) : m_port(std::move(port)), m_state(std::move(state)) {}
    ~UdpProxy() override { stop(); }
    void stop() override { m_state->stop(); }
    const PublishedPort& port() const override { return m_port; }
    size_t active() const override { return m_state->m_flows.size(); }

private:
    PublishedPort m_port;
    std::shared_ptr<UdpState> m_state;
};

} // namespace

Result<std::unique_ptr<PortProxy>> PortProxy::start(asio::io_context& io, BoundPort listener, ProxyTarget target)
{
    error_code ec;
    auto address = asio::ip::make_address(target.ip, ec);
    if (ec)
        return Error(Errc::Invalid, "invalid proxy target address: " + target.ip);
    bool v6 = listener.port.host_ip.find(':') != std::string::npos;
    std::string what = "proxy " + join_host_port(listener.port.host_ip, listener.port.host_port) + "/" +
                       std::string(to_string(listener.port.proto));
    if (listener.port.proto == PortProto::Udp) {
        auto state = std::make_shared<UdpState>(io, udp::endpoint(address, target.port));
        state->m_listener.assign(v6 ? udp::v6() : udp::v4(), listener.fd.get(), ec);
        if (ec)
            return Error(Errc::Sys, what + ": " + ec.message());
        listener.fd.release();
        state->receive();
        return std::unique_ptr<PortProxy>(new UdpProxy(listener.port, state));
    }
    if (listener.port.proto != PortProto::Tcp)
        return Error(Errc::Invalid, what + ": only tcp and udp can be proxied");
    auto state = std::make_shared<TcpState>(io, tcp::endpoint(address, target.port));
    state->m_acceptor.assign(v6 ? tcp::v6() : tcp::v4(), listener.fd.get(), ec);
    if (ec)
        return Error(Errc::Sys, what + ": " + ec.message());
    listener.fd.release();
    state->accept();
    return std::unique_ptr<PortProxy>(new TcpProxy(listener.port, state));
}

} // namespace wharf::engine
