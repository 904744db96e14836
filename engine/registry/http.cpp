#include "engine/registry/http.h"

#include "engine/registry/curl_library.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <unistd.h>

namespace wharf::engine::registry {

namespace {

Result<void> global_init()
{
    TRY(curl_library());
    return ok();
}

/// libcurl's functions: every entry point below calls global_init() before any of them.
const CurlLibrary* C() { return *curl_library(); }

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// Everything one transfer needs alive while libcurl runs it.
struct Transfer {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    char errbuf[CURL_ERROR_SIZE] = {};
    HttpHeaders response_headers;
    std::string body;
    size_t max_body = 0;
    bool too_large = false;
    // Upload source.
    const std::string* upload_body = nullptr;
    size_t upload_pos = 0;
    int upload_fd = -1;
    int64_t upload_off = 0;
    int64_t upload_left = 0;
    int read_errno = 0;
    uint64_t uploaded = 0;
    const std::function<void(uint64_t)>* upload_progress = nullptr;

    ~Transfer()
    {
        if (headers)
            C()->curl_slist_free_all(headers);
        if (easy)
            C()->curl_easy_cleanup(easy);
    }
};

size_t on_header(char* data, size_t size, size_t n, void* ctx)
{
    auto* t = static_cast<Transfer*>(ctx);
    std::string_view line(data, size * n);
    if (line.starts_with("HTTP/")) {
        // A new response (after a redirect or a 100 Continue): only the last one counts.
        t->response_headers.items.clear();
        return size * n;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
        return size * n;
    std::string name = lower(std::string(line.substr(0, colon)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.remove_suffix(1);
    t->response_headers.items.emplace_back(std::move(name), std::string(value));
    return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* ctx)
{
    auto* t = static_cast<Transfer*>(ctx);
    if (t->max_body && t->body.size() + size * n > t->max_body) {
        t->too_large = true;
        return 0; // aborts the transfer
    }
    t->body.append(data, size * n);
    return size * n;
}

size_t on_upload(char* buf, size_t size, size_t n, void* ctx)
{
    auto* t = static_cast<Transfer*>(ctx);
    size_t cap = size * n;
    size_t got = 0;
    if (t->upload_fd >= 0) {
        size_t want = static_cast<size_t>(std::min<int64_t>(t->upload_left, static_cast<int64_t>(cap)));
        if (want == 0)
            return 0;
        ssize_t r;
        do
            r = ::pread(t->upload_fd, buf, want, t->upload_off);
        while (r < 0 && errno == EINTR);
        if (r < 0) {
            t->read_errno = errno;
            return CURL_READFUNC_ABORT;
        }
        t->upload_left -= r;
        t->upload_off += r;
        got = static_cast<size_t>(r);
    } else if (t->upload_body) {
        got = std::min(cap, t->upload_body->size() - t->upload_pos);
        std::copy_n(t->upload_body->data() + t->upload_pos, got, buf);
        t->upload_pos += got;
    }
    t->uploaded += got;
    if (t->upload_progress && *t->upload_progress)
        (*t->upload_progress)(t->uploaded);
    return got;
}

Result<void> configure(Transfer& t, const HttpRequest& req)
{
    TRY(global_init());
    t.easy = C()->curl_easy_init();
    if (!t.easy)
        return Error(Errc::Internal, "curl_easy_init failed");
    CURL* e = t.easy;
    C()->curl_easy_setopt(e, CURLOPT_URL, req.url.c_str());
    C()->curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errbuf);
    C()->curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    C()->curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    C()->curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
    // Never: credentials stay with the host they were meant for (see the header).
    C()->curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
    C()->curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
    // A stalled peer (no byte for 60 s) is a failure, not a hang.
    C()->curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    C()->curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
    C()->curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 256L * 1024);
    C()->curl_easy_setopt(e, CURLOPT_USERAGENT, "wharf/" "0.1");
    C()->curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    C()->curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    if (!req.verify_tls) {
        C()->curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        C()->curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    C()->curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    C()->curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    C()->curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    C()->curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    for (auto& h : req.headers)
        t.headers = C()->curl_slist_append(t.headers, h.c_str());
    // No "Expect: 100-continue" round trip before uploads.
    t.headers = C()->curl_slist_append(t.headers, "Expect:");
    C()->curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);

    const std::string& m = req.method;
    if (m == "HEAD") {
        C()->curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (m == "POST" && req.body_fd < 0) {
        C()->curl_easy_setopt(e, CURLOPT_POST, 1L);
        C()->curl_easy_setopt(e, CURLOPT_POSTFIELDS, req.body.data());
        C()->curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    } else if (m == "PUT" || m == "PATCH" || m == "POST") {
        C()->curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
        if (m != "PUT")
            C()->curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m.c_str());
        C()->curl_easy_setopt(e, CURLOPT_READFUNCTION, on_upload);
        C()->curl_easy_setopt(e, CURLOPT_READDATA, &t);
        if (req.body_fd >= 0) {
            t.upload_fd = req.body_fd;
            t.upload_off = req.body_offset;
            t.upload_left = req.body_size;
            C()->curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body_size));
        } else {
            t.upload_body = &req.body;
            C()->curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        }
        t.upload_progress = &req.upload_progress;
    } else if (m != "GET") {
        C()->curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m.c_str());
    }
    t.max_body = req.max_body;
    return ok();
}

Error transport_error(const Transfer& t, const HttpRequest& req, CURLcode code)
{
    std::string what = t.errbuf[0] ? std::string(t.errbuf) : C()->curl_easy_strerror(code);
    if (t.too_large)
        what = "response body too large (over " + std::to_string(t.max_body) + " bytes)";
    if (t.read_errno)
        return Error::from_errno(req.method + " " + req.url + ": read upload body", t.read_errno);
    return Error(Errc::Io, req.method + " " + req.url + ": " + what);
}

void finish_response(Transfer& t, HttpResponse& r)
{
    C()->curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &r.status);
    char* url = nullptr;
    if (C()->curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url)
        r.url = url;
    r.headers = std::move(t.response_headers);
}

} // namespace

std::string HttpHeaders::get(std::string_view name) const
{
    for (auto& [k, v] : items)
        if (k == name)
            return v;
    return {};
}

std::vector<std::string> HttpHeaders::all(std::string_view name) const
{
    std::vector<std::string> out;
    for (auto& [k, v] : items)
        if (k == name)
            out.push_back(v);
    return out;
}

bool is_transient_status(long status) { return status == 408 || status == 429 || (status >= 500 && status != 501); }

Result<HttpResponse> http_perform(const HttpRequest& req)
{
    Transfer t;
    TRY(configure(t, req));
    CURLcode code = C()->curl_easy_perform(t.easy);
    if (code != CURLE_OK)
        return transport_error(t, req, code);
    HttpResponse r;
    finish_response(t, r);
    r.body = std::move(t.body);
    return r;
}

struct HttpStream::State {
    HttpRequest request;
    Transfer t;
    CURLM* multi = nullptr;
    bool done = false;
    CURLcode result = CURLE_OK;
    size_t pos = 0;
    HttpResponse response;

    ~State()
    {
        if (multi) {
            if (t.easy)
                C()->curl_multi_remove_handle(multi, t.easy);
            C()->curl_multi_cleanup(multi);
        }
    }

    Result<void> pump()
    {
        int running = 0;
        CURLMcode mc = C()->curl_multi_perform(multi, &running);
        if (mc != CURLM_OK)
            return Error(Errc::Io, request.method + " " + request.url + ": " + C()->curl_multi_strerror(mc));
        if (running == 0) {
            int left = 0;
            while (CURLMsg* msg = C()->curl_multi_info_read(multi, &left))
                if (msg->msg == CURLMSG_DONE)
                    result = msg->data.result;
            done = true;
            return ok();
        }
        mc = C()->curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
        if (mc != CURLM_OK)
            return Error(Errc::Io, request.method + " " + request.url + ": " + C()->curl_multi_strerror(mc));
        return ok();
    }
};

HttpStream::HttpStream(std::unique_ptr<State> s) : m_s(std::move(s)) {}
HttpStream::HttpStream(HttpStream&&) noexcept = default;
HttpStream& HttpStream::operator=(HttpStream&&) noexcept = default;
HttpStream::~HttpStream() = default;

Result<HttpStream> HttpStream::open(const HttpRequest& request)
{
    auto s = std::make_unique<State>();
    s->request = request;
    TRY(configure(s->t, s->request));
    s->multi = C()->curl_multi_init();
    if (!s->multi)
        return Error(Errc::Internal, "curl_multi_init failed");
    C()->curl_multi_add_handle(s->multi, s->t.easy);
    while (s->t.body.empty() && !s->done)
        TRY(s->pump());
    // Bytes that arrived before a failure are still handed out; read() reports the failure
    // after them, so the caller can resume from there.
    if (s->done && s->result != CURLE_OK && s->t.body.empty())
        return transport_error(s->t, s->request, s->result);
    finish_response(s->t, s->response);
    return HttpStream(std::move(s));
}

long HttpStream::status() const { return m_s->response.status; }
const HttpHeaders& HttpStream::headers() const { return m_s->response.headers; }

Result<size_t> HttpStream::read(void* buf, size_t cap)
{
    State& s = *m_s;
    while (s.pos == s.t.body.size()) {
        s.t.body.clear();
        s.pos = 0;
        if (s.done) {
            if (s.result != CURLE_OK)
                return transport_error(s.t, s.request, s.result);
            return size_t{0};
        }
        TRY(s.pump());
    }
    size_t n = std::min(cap, s.t.body.size() - s.pos);
    std::copy_n(s.t.body.data() + s.pos, n, static_cast<char*>(buf));
    s.pos += n;
    return n;
}

Result<std::string> HttpStream::read_all(size_t limit)
{
    std::string out;
    char buf[16384];
    for (;;) {
        size_t n = TRY(read(buf, sizeof buf));
        if (n == 0)
            return out;
        if (out.size() < limit)
            out.append(buf, std::min(n, limit - out.size()));
    }
}

Result<std::string> resolve_url(const std::string& base, const std::string& ref)
{
    TRY(global_init());
    CURLU* h = C()->curl_url();
    std::unique_ptr<CURLU, void (*)(CURLU*)> guard(h, C()->curl_url_cleanup);
    if (C()->curl_url_set(h, CURLUPART_URL, base.c_str(), 0) != CURLUE_OK)
        return Error(Errc::Invalid, "invalid URL \"" + base + "\"");
    if (C()->curl_url_set(h, CURLUPART_URL, ref.c_str(), 0) != CURLUE_OK)
        return Error(Errc::Invalid, "invalid URL \"" + ref + "\" (relative to " + base + ")");
    char* out = nullptr;
    if (C()->curl_url_get(h, CURLUPART_URL, &out, 0) != CURLUE_OK)
        return Error(Errc::Invalid, "invalid URL \"" + ref + "\"");
    std::string s = out;
    C()->curl_free(out);
    return s;
}

Result<std::string> append_query(const std::string& url, const std::string& name, const std::string& value)
{
    TRY(global_init());
    CURLU* h = C()->curl_url();
    std::unique_ptr<CURLU, void (*)(CURLU*)> guard(h, C()->curl_url_cleanup);
    if (C()->curl_url_set(h, CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        return Error(Errc::Invalid, "invalid URL \"" + url + "\"");
    std::string part = name + "=" + value;
    if (C()->curl_url_set(h, CURLUPART_QUERY, part.c_str(), CURLU_APPENDQUERY | CURLU_URLENCODE) != CURLUE_OK)
        return Error(Errc::Invalid, "cannot add query to \"" + url + "\"");
    char* out = nullptr;
    if (C()->curl_url_get(h, CURLUPART_URL, &out, 0) != CURLUE_OK)
        return Error(Errc::Invalid, "invalid URL \"" + url + "\"");
    std::string s = out;
    C()->curl_free(out);
    return s;
}

} // namespace wharf::engine::registry
