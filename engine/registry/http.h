#pragma once
/// HTTP on libcurl for the registry client: one request at a time per call, whole bodies
/// (http_perform) or streamed ones (HttpStream, for blobs).
///
/// Redirects are followed (at most 10). A custom `Authorization:` header is never sent to a
/// host other than the one asked (libcurl ≥ 7.58 drops it across hosts while
/// CURLOPT_UNRESTRICTED_AUTH is off, which we never turn on), so a registry redirecting to a
/// CDN does not leak credentials. Transport failures are Errc::Io with the URL and libcurl's
/// text: `GET http://127.0.0.1:5000/v2/: Couldn't connect to server`. HTTP statuses are not
/// errors here; callers decide. Thread-safe: each call/stream has its own curl handle.

#include "engine/base/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wharf::engine::registry {

/// Response headers of the final response (after redirects); names lower-cased.
struct HttpHeaders {
    std::vector<std::pair<std::string, std::string>> items;
    /// The first value of `name` (lower-case), or "".
    std::string get(std::string_view name) const;
    std::vector<std::string> all(std::string_view name) const;
};

struct HttpRequest {
    std::string method = "GET"; ///< GET, HEAD, POST, PUT, PATCH, DELETE
    std::string url;
    std::vector<std::string> headers; ///< "Name: value"
    std::string body;                 ///< sent for POST/PUT/PATCH when no body_fd
    int body_fd = -1;                 ///< upload this file instead of `body` (pread, so retryable)
    int64_t body_offset = 0;          ///< where in body_fd the bytes start
    int64_t body_size = 0;            ///< bytes to send from body_fd
    bool verify_tls = true;
    /// Called with bytes sent so far during an upload (may be empty).
    std::function<void(uint64_t)> upload_progress;
    /// Larger bodies fail ("response body too large"); 0 = no limit. Whole-body calls only.
    size_t max_body = 0;
};

struct HttpResponse {
    long status = 0;
    HttpHeaders headers;
    std::string body;
    std::string url; ///< effective URL after redirects
};

/// Performs the request and returns the whole response.
Result<HttpResponse> http_perform(const HttpRequest& request);

/// A GET whose body is read as it arrives. open() returns once the status and headers are
/// known (the final response's, after redirects). read() blocks for more bytes; 0 = end of
/// body; a broken transfer is an Errc::Io error. Not copyable; one thread at a time.
class HttpStream {
public:
    static Result<HttpStream> open(const HttpRequest& request);
    HttpStream(HttpStream&&) noexcept;
    HttpStream& operator=(HttpStream&&) noexcept;
    ~HttpStream();

    long status() const;
    const HttpHeaders& headers() const;
    Result<size_t> read(void* buf, size_t cap);
    /// The rest of the body (for error responses).
    Result<std::string> read_all(size_t limit = 1 << 20);

private:
    struct State;
    explicit HttpStream(std::unique_ptr<State> s);
    std::unique_ptr<State> m_s;
};

/// Resolves `ref` (absolute URL, absolute path or relative path) against `base`.
Result<std::string> resolve_url(const std::string& base, const std::string& ref);
/// Appends `name=value` (value URL-encoded) to the URL's query, keeping what is there.
Result<std::string> append_query(const std::string& url, const std::string& name, const std::string& value);
/// True for libcurl/HTTP failures worth retrying (connection refused/reset, timeouts, 5xx, 429).
bool is_transient_status(long status);

} // namespace wharf::engine::registry
