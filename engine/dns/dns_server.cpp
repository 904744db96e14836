#include "engine/dns/dns_server.h"

#include "engine/base/split.h"
#include "engine/dns/dns_message.h"
#include "engine/dns/name_table.h"
#include "engine/network/netns.h"
#include "engine/sys/file.h"

#include <algorithm>
#include <arpa/inet.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <dirent.h>
#include <random>
#include <sys/stat.h>

namespace wharf::engine::dns {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;
using Bytes = std::vector<uint8_t>;
using Reply = std::function<void(Bytes)>;

Result<udp::endpoint> parse_upstream(const std::string& text)
{
    std::string host = text;
    uint16_t port = 53;
    if (!text.empty() && text[0] == '[') {
        auto close = text.find(']');
        host = text.substr(1, close - 1);
        if (close + 1 < text.size() && text[close + 1] == ':')
            port = static_cast<uint16_t>(std::stoi(text.substr(close + 2)));
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        host = text.substr(0, text.find(':'));
        port = static_cast<uint16_t>(std::stoi(text.substr(text.find(':') + 1)));
    }
    error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    if (ec)
        return Error(Errc::Invalid, "invalid DNS server address: " + text);
    return udp::endpoint(addr, port);
}

/// The network records, re-read only when <root>/networks changed (records are replaced by
/// rename, which updates the directory's mtime).
class RecordCache {
public:
    explicit RecordCache(std::string dir) : m_dir(std::move(dir)) {}

    const std::vector<NetworkRecord>& get()
    {
        struct stat st{};
        if (::stat(m_dir.c_str(), &st) == 0 &&
            (st.st_mtim.tv_sec != m_mtime.tv_sec || st.st_mtim.tv_nsec != m_mtime.tv_nsec || !m_loaded)) {
            m_mtime = st.st_mtim;
            m_loaded = true;
            m_records.clear();
            if (DIR* d = opendir(m_dir.c_str())) {
                while (dirent* e = readdir(d)) {
                    std::string n = e->d_name;
                    if (n[0] == '.' || !n.ends_with(".json"))
                        continue;
                    if (auto text = sys::read_file(m_dir + "/" + n))
                        if (auto r = decode_network(*text))
                            m_records.push_back(std::move(*r));
                }
                closedir(d);
            }
        }
        return m_records;
    }

private:
    std::string m_dir;
    timespec m_mtime{};
    bool m_loaded = false;
    std::vector<NetworkRecord> m_records;
};

class Server : public DnsServer, public std::enable_shared_from_this<Server> {
public:
    Server(asio::io_context& io, DnsServerConfig config, std::vector<udp::endpoint> upstreams)
        : m_io(io), m_config(std::move(config)), m_upstreams(std::move(upstreams)), m_udp(io), m_tcp(io),
          m_records(m_config.root + "/networks") {}

    Result<void> open()
    {
        auto make = [&](int type) -> Result<sys::UniqueFd> {
            auto fd = m_config.netns_fd >= 0 ? socket_in_netns(m_config.netns_fd, AF_INET, type)
                                             : Result<sys::UniqueFd>(sys::UniqueFd(::socket(AF_INET, type | SOCK_CLOEXEC, 0)));
            if (!fd)
                return std::move(fd).error();
            int one = 1;
            setsockopt(fd->get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(m_config.port);
            inet_pton(AF_INET, m_config.listen_ip.c_str(), &a.sin_addr);
            if (::bind(fd->get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
                return Error::from_errno("bind(2) " + m_config.listen_ip + ":" + std::to_string(m_config.port), errno);
            if (type == SOCK_STREAM && ::listen(fd->get(), 64) != 0)
                return Error::from_errno("listen(2) " + m_config.listen_ip, errno);
            return fd;
        };
        auto u = TRY_CTX(make(SOCK_DGRAM), "embedded DNS");
        auto t = TRY_CTX(make(SOCK_STREAM), "embedded DNS");
        error_code ec;
        m_udp.assign(udp::v4(), u.get(), ec);
        if (ec)
            return Error(Errc::Sys, "embedded DNS: " + ec.message());
        u.release();
        m_tcp.assign(tcp::v4(), t.get(), ec);
        if (ec)
            return Error(Errc::Sys, "embedded DNS: " + ec.message());
        t.release();
        return ok();
    }

    void run()
    {
        receive_udp();
        accept_tcp();
    }

    void stop() override
    {
        m_stopped = true;
        error_code ignored;
        m_udp.close(ignored);
        m_tcp.close(ignored);
    }

private:
    void receive_udp()
    {
        m_udp.async_receive_from(asio::buffer(m_buf), m_sender, [self = shared_from_this()](const error_code& ec, size_t n) {
            if (self->m_stopped || ec == asio::error::operation_aborted)
                return;
            if (!ec) {
                auto client = self->m_sender;
                self->handle(Bytes(self->m_buf.begin(), self->m_buf.begin() + static_cast<long>(n)), [self, client](Bytes reply) {
                    if (self->m_stopped)
                        return;
                    error_code ignored;
                    self->m_udp.send_to(asio::buffer(reply), client, 0, ignored);
                });
            }
            self->receive_udp();
        });
    }

    void accept_tcp()
    {
        m_tcp.async_accept([self = shared_from_this()](const error_code& ec, tcp::socket s) {
            if (self->m_stopped || ec == asio::error::operation_aborted)
                return;
            if (!ec)
                self->serve_tcp(std::make_shared<tcp::socket>(std::move(s)));
            self->accept_tcp();
        });
    }

    void serve_tcp(std::shared_ptr<tcp::socket> s)
    {
        auto len = std::make_shared<std::array<uint8_t, 2>>();
        asio::async_read(*s, asio::buffer(*len), [self = shared_from_this(), s, len](const error_code& ec, size_t) {
            if (ec || self->m_stopped)
                return;
            auto body = std::make_shared<Bytes>(static_cast<size_t>((*len)[0] << 8 | (*len)[1]));
            asio::async_read(*s, asio::buffer(*body), [self, s, body](const error_code& ec2, size_t) {
                if (ec2 || self->m_stopped)
                    return;
                self->handle(*body, [self, s](Bytes reply) {
                    auto framed = std::make_shared<Bytes>(reply.size() + 2);
                    (*framed)[0] = static_cast<uint8_t>(reply.size() >> 8);
                    (*framed)[1] = static_cast<uint8_t>(reply.size());
                    std::copy(reply.begin(), reply.end(), framed->begin() + 2);
                    asio::async_write(*s, asio::buffer(*framed), [self, s, framed](const error_code& ec3, size_t) {
                        if (!ec3 && !self->m_stopped)
                            self->serve_tcp(s);
                    });
                });
            });
        });
    }

    void handle(Bytes message, Reply reply)
    {
        auto q = parse_query(message);
        if (!q) {
            if (message.size() >= 12) { // FORMERR with the id the client can match
                Bytes r(message.begin(), message.begin() + 12);
                r[2] = 0x80;
                r[3] = RcodeFormErr;
                std::fill(r.begin() + 4, r.end(), 0);
                reply(std::move(r));
            }
            return;
        }
        const auto& records = m_records.get();
        if (q->klass == ClassIn) {
            auto addresses = lookup_names(records, m_config.container_id, q->name);
            if (!addresses.empty()) {
                std::vector<Record> answers;
                if (q->type == TypeA) {
                    std::shuffle(addresses.begin(), addresses.end(), m_rng);
                    for (const auto& a : addresses) {
                        Record r;
                        r.data.resize(4);
                        inet_pton(AF_INET, a.c_str(), r.data.data());
                        answers.push_back(std::move(r));
                    }
                }
                reply(build_response(message, *q, answers));
                return;
            }
            if (q->type == TypePtr) {
                std::string ip = reverse_ipv4(q->name);
                std::string owner = ip.empty() ? "" : lookup_address(records, m_config.container_id, ip);
                if (!owner.empty()) {
                    Record r;
                    r.type = TypePtr;
                    r.data = encode_name(owner);
                    reply(build_response(message, *q, {r}));
                    return;
                }
            }
        }
        forward(std::make_shared<Bytes>(std::move(message)), *q, 0, std::move(reply));
    }

    /// Tries upstream `index`; on timeout, SERVFAIL or REFUSED moves on to the next.
    void forward(std::shared_ptr<Bytes> message, Query q, size_t index, Reply reply)
    {
        if (index >= m_upstreams.size()) {
            reply(build_response(*message, q, {}, RcodeServFail));
            return;
        }
        auto sock = std::make_shared<udp::socket>(m_io);
        auto timer = std::make_shared<asio::steady_timer>(m_io);
        auto buf = std::make_shared<Bytes>(65535);
        error_code ec;
        sock->open(m_upstreams[index].protocol(), ec);
        if (!ec)
            sock->connect(m_upstreams[index], ec);
        if (!ec)
            sock->send(asio::buffer(*message), 0, ec);
        if (ec) {
            forward(message, q, index + 1, std::move(reply));
            return;
        }
        auto self = shared_from_this();
        auto done = std::make_shared<bool>(false);
        timer->expires_after(m_config.upstream_timeout);
        timer->async_wait([self, sock, done, message, q, index, reply](const error_code& tec) {
            if (tec || *done || self->m_stopped)
                return;
            *done = true;
            error_code ignored;
            sock->close(ignored);
            self->forward(message, q, index + 1, reply);
        });
        sock->async_receive(asio::buffer(*buf), [self, sock, timer, buf, done, message, q, index, reply](const error_code& rec, size_t n) {
            if (*done || self->m_stopped)
                return;
            *done = true;
            timer->cancel();
            uint8_t rcode = n >= 4 ? ((*buf)[3] & 0xF) : RcodeServFail;
            if (rec || n < 12 || rcode == RcodeServFail || rcode == 5 /*REFUSED*/) {
                self->forward(message, q, index + 1, reply);
                return;
            }
            buf->resize(n);
            reply(std::move(*buf));
        });
    }

    asio::io_context& m_io;
    DnsServerConfig m_config;
    std::vector<udp::endpoint> m_upstreams;
    udp::socket m_udp;
    tcp::acceptor m_tcp;
    udp::endpoint m_sender;
    std::array<uint8_t, 65535> m_buf{};
    RecordCache m_records;
    std::mt19937 m_rng{std::random_device{}()};
    bool m_stopped = false;
};

class Handle final : public DnsServer {
public:
    explicit Handle(std::shared_ptr<Server> s) : m_server(std::move(s)) {}
    ~Handle() override { stop(); }
    void stop() override { m_server->stop(); }

private:
    std::shared_ptr<Server> m_server;
};

std::vector<std::string> nameservers(const std::string& text)
{
    std::vector<std::string> out;
    for (std::string_view line : split_lines(text)) {
        auto words = split_words(line);
        if (words.size() >= 2 && words[0] == "nameserver")
            out.emplace_back(words[1]);
    }
    return out;
}

} // namespace

std::vector<std::string> host_upstreams(const std::string& resolv_conf, const std::string& systemd_resolv_conf)
{
    auto servers = nameservers(resolv_conf);
    bool only_stub = !servers.empty() && std::all_of(servers.begin(), servers.end(), [](const std::string& s) {
        return s == "127.0.0.53";
    });
    if (only_stub && !systemd_resolv_conf.empty()) {
        auto real = nameservers(systemd_resolv_conf);
        if (!real.empty())
            servers = real;
    }
    if (servers.size() > 3) // Docker forwards to at most three
        servers.resize(3);
    return servers;
}

std::vector<std::string> search_domains(const std::string& resolv_conf)
{
    std::vector<std::string> out;
    for (std::string_view line : split_lines(resolv_conf)) {
        auto words = split_words(line);
        if (!words.empty() && (words[0] == "search" || words[0] == "domain"))
            out.assign(words.begin() + 1, words.end()); // the last such line wins, as in resolv.conf(5)
    }
    return out;
}

Result<std::unique_ptr<DnsServer>> DnsServer::start(asio::io_context& io, DnsServerConfig config)
{
    if (config.upstreams.empty()) {
        auto host = sys::read_file("/etc/resolv.conf");
        auto systemd = sys::read_file("/run/systemd/resolve/resolv.conf");
        config.upstreams = host_upstreams(host ? *host : "", systemd ? *systemd : "");
    }
    std::vector<udp::endpoint> upstreams;
    for (const auto& u : config.upstreams)
        upstreams.push_back(TRY(parse_upstream(u)));
    auto server = std::make_shared<Server>(io, std::move(config), std::move(upstreams));
    TRY(server->open());
    server->run();
    return std::unique_ptr<DnsServer>(new Handle(server));
}

} // namespace wharf::engine::dns
