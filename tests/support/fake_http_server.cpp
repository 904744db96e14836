#include "tests/support/fake_http_server.h"

#include <utility> // before Boost.Asio: its awaitable.hpp uses std::exchange

#include <boost/asio.hpp>
#include <cctype>
#include <sys/socket.h>

namespace wharf::test {

namespace asio = boost::asio;
using asio::ip::tcp;

struct FakeHttpServer::Impl {
    Handler handler;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::thread accept_thread;
    std::mutex mu;
    std::vector<std::shared_ptr<tcp::socket>> sockets;
    std::vector<std::thread> threads;
    std::vector<FakeRequest> log;
    std::atomic<bool> stopping{false};

    void serve(std::shared_ptr<tcp::socket> sock)
    {
        boost::system::error_code ec;
        std::string buf;
        for (;;) {
            // Read the head.
            size_t head_end;
            while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
                char tmp[65536];
                size_t n = sock->read_some(asio::buffer(tmp), ec);
                if (ec)
                    return;
                if (buf.empty() && n > 0 && static_cast<unsigned char>(tmp[0]) == 0x16) {
                    sock->close(ec); // a TLS handshake: we speak plain HTTP only
                    return;
                }
                buf.append(tmp, n);
            }
            FakeRequest req;
            std::string head = buf.substr(0, head_end);
            buf.erase(0, head_end + 4);
            size_t line_end = head.find("\r\n");
            std::string first = head.substr(0, line_end);
            auto sp1 = first.find(' '), sp2 = first.rfind(' ');
            req.method = first.substr(0, sp1);
            req.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
            auto q = req.target.find('?');
            req.path = req.target.substr(0, q);
            req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
            size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
            while (pos < head.size()) {
                size_t e = head.find("\r\n", pos);
                std::string line = head.substr(pos, e == std::string::npos ? std::string::npos : e - pos);
                pos = e == std::string::npos ? head.size() : e + 2;
                auto colon = line.find(':');
                if (colon == std::string::npos)
                    continue;
                std::string name = line.substr(0, colon);
                for (auto& c : name)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                std::string value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ')
                    value.erase(0, 1);
                req.headers[name] = value;
            }
            size_t len = req.headers.count("content-length") ? std::stoul(req.headers["content-length"]) : 0;
            while (buf.size() < len) {
                char tmp[65536];
                size_t n = sock->read_some(asio::buffer(tmp), ec);
                if (ec)
                    return;
                buf.append(tmp, n);
            }
            req.body = buf.substr(0, len);
            buf.erase(0, len);
            {
                std::lock_guard lock(mu);
                log.push_back(req);
            }
            FakeResponse resp = handler(req);
            std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " Fake\r\n";
            bool has_length = false;
            for (auto& [k, v] : resp.headers) {
                out += k + ": " + v + "\r\n";
                if (k == "Content-Length")
                    has_length = true;
            }
            if (!has_length)
                out += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
            out += "\r\n";
            if (req.method != "HEAD")
                out += resp.body.substr(0, resp.cut_after);
            asio::write(*sock, asio::buffer(out), ec);
            if (resp.then_stop_listening)
                stop_accepting();
            if (ec || resp.cut_after != std::string::npos) {
                sock->close(ec);
                return;
            }
        }
    }

    /// shutdown(2) on the listening socket wakes the blocked accept() and makes new
    /// connections fail with ECONNREFUSED; the accept thread then closes it.
    void stop_accepting()
    {
        if (stopping.exchange(true))
            return;
        ::shutdown(acceptor.native_handle(), SHUT_RDWR);
    }
};

FakeHttpServer::FakeHttpServer(Handler handler) : m_impl(std::make_unique<Impl>())
{
    m_impl->handler = std::move(handler);
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    m_impl->acceptor.open(ep.protocol());
    m_impl->acceptor.set_option(tcp::acceptor::reuse_address(true));
    m_impl->acceptor.bind(ep);
    m_impl->acceptor.listen();
    m_port = m_impl->acceptor.local_endpoint().port();
    Impl* impl = m_impl.get();
    impl->accept_thread = std::thread([impl] {
        for (;;) {
            auto sock = std::make_shared<tcp::socket>(impl->io);
            boost::system::error_code ec;
            impl->acceptor.accept(*sock, ec);
            if (ec || impl->stopping)
                return;
            std::lock_guard lock(impl->mu);
            impl->sockets.push_back(sock);
            impl->threads.emplace_back([impl, sock] { impl->serve(sock); });
        }
    });
}

FakeHttpServer::~FakeHttpServer()
{
    boost::system::error_code ec;
    m_impl->stop_accepting();
    if (m_impl->accept_thread.joinable())
        m_impl->accept_thread.join();
    m_impl->acceptor.close(ec);
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_impl->mu);
        for (auto& s : m_impl->sockets) {
            s->shutdown(tcp::socket::shutdown_both, ec);
            s->close(ec);
        }
        threads.swap(m_impl->threads);
    }
    for (auto& t : threads)
        t.join();
}

std::vector<FakeRequest> FakeHttpServer::requests() const
{
    std::lock_guard lock(m_impl->mu);
    return m_impl->log;
}

void FakeHttpServer::stop_listening()
{
    m_impl->stop_accepting();
}

} // namespace wharf::test
