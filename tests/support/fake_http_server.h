#pragma once
// FakeHttpServer: a tiny HTTP/1.1 server on 127.0.0.1:<ephemeral> for the registry client's
// failure tests (wrong bytes, cut connections, token endpoints, redirects). Each connection
// gets a thread; keep-alive is supported; every request is logged. A TLS ClientHello (the
// client's HTTPS probe of a loopback registry) is answered by closing the connection.
// Stopped and joined on destruction.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wharf::test {

struct FakeRequest {
    std::string method;
    std::string target; ///< path and query as sent
    std::string path;
    std::string query;
    std::map<std::string, std::string> headers; ///< lower-cased names
    std::string body;
    std::string header(const std::string& name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct FakeResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// Send only this many body bytes (Content-Length still says all), then close.
    size_t cut_after = std::string::npos;
    /// After this response, stop accepting connections (the server "goes away").
    bool then_stop_listening = false;
};

class FakeHttpServer {
public:
    using Handler = std::function<FakeResponse(const FakeRequest&)>;
    explicit FakeHttpServer(Handler handler);
    ~FakeHttpServer();
    FakeHttpServer(const FakeHttpServer&) = delete;

    int port() const { return m_port; }
    std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }
    std::vector<FakeRequest> requests() const;
    void stop_listening();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    int m_port = 0;
};

} // namespace wharf::test
