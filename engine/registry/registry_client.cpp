#include "engine/registry/registry_client.h"

#include "engine/registry/www_authenticate.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

namespace wharf::engine::registry {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

std::string strip_port(const std::string& host)
{
    if (host.starts_with("[")) {
        auto close = host.find(']');
        return close == std::string::npos ? host : host.substr(0, close + 1);
    }
    auto colon = host.rfind(':');
    return colon == std::string::npos ? host : host.substr(0, colon);
}

/// Content-Type without parameters ("application/json; charset=utf-8" -> "application/json").
std::string bare_type(std::string t)
{
    if (auto semi = t.find(';'); semi != std::string::npos)
        t = t.substr(0, semi);
    while (!t.empty() && t.back() == ' ')
        t.pop_back();
    return t;
}

std::string url_encode(const std::string& s)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

Errc errc_for_status(long status)
{
    if (status == 404)
        return Errc::NotFound;
    if (status == 401 || status == 403)
        return Errc::Permission;
    if (status == 400)
        return Errc::Invalid;
    return Errc::Io;
}

} // namespace

bool is_loopback_registry(const std::string& host)
{
    std::string h = strip_port(host);
    if (h == "localhost" || h == "[::1]" || h == "::1")
        return true;
    if (!h.starts_with("127."))
        return false;
    int dots = 0;
    for (char c : h) {
        if (c == '.')
            ++dots;
        else if (!std::isdigit(static_cast<unsigned char>(c)))
            return false;
    }
    return dots == 3;
}

std::string repository_scope(const std::string& repo, bool push)
{
    return "repository:" + repo + (push ? ":pull,push" : ":pull");
}

std::string registry_error_text(long status, const std::string& body)
{
    try {
        auto j = json::parse(body);
        if (j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) {
            std::string out;
            for (auto& e : j["errors"]) {
                std::string code = e.value("code", "");
                for (auto& c : code)
                    c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                std::string msg = e.value("message", "");
                if (!out.empty())
                    out += "; ";
                out += code.empty() ? msg : (msg.empty() ? code : code + ": " + msg);
            }
            if (!out.empty())
                return out;
        }
    } catch (const json::exception&) {
    }
    // Bodiless answers (HEAD, or a terse proxy) still say what the status means.
    if (status == 401)
        return "unauthorized: authentication required";
    if (status == 403)
        return "denied: requested access to the resource is denied";
    return "HTTP " + std::to_string(status);
}

std::string link_next(const std::string& link)
{
    // <url>; rel="next", <url2>; rel="prev"
    size_t i = 0;
    while (i < link.size()) {
        auto lt = link.find('<', i);
        if (lt == std::string::npos)
            return {};
        auto gt = link.find('>', lt);
        if (gt == std::string::npos)
            return {};
        std::string target = link.substr(lt + 1, gt - lt - 1);
        auto next_lt = link.find('<', gt);
        std::string params = link.substr(gt + 1, next_lt == std::string::npos ? std::string::npos : next_lt - gt - 1);
        std::string lowered = params;
        for (auto& c : lowered)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        lowered.erase(std::remove(lowered.begin(), lowered.end(), ' '), lowered.end());
        if (lowered.find("rel=\"next\"") != std::string::npos || lowered.find("rel=next") != std::string::npos)
            return target;
        i = gt + 1;
    }
    return {};
}

// ---------------------------------------------------------------------------------------
// Auth: the registry's challenges, our credentials, tokens per scope.

class RegistryClient::Auth {
public:
    Auth(std::optional<Credentials> creds, bool verify_tls) : m_creds(std::move(creds)), m_verify_tls(verify_tls) {}

    void set_challenges(std::vector<Challenge> c)
    {
        std::lock_guard lock(m_mu);
        m_challenges = std::move(c);
    }

    bool has_challenge() const
    {
        std::lock_guard lock(m_mu);
        return !m_challenges.empty();
    }

    /// The Authorization header line for `scope`, or "" when the registry asked for none.
    Result<std::string> header(const std::string& scope)
    {
        std::lock_guard lock(m_mu);
        for (auto& c : m_challenges) {
            if (c.scheme == "bearer") {
                auto it = m_tokens.find(scope);
                if (it != m_tokens.end() && Clock::now() < it->second.expires)
                    return "Authorization: Bearer " + it->second.token;
                auto tok = TRY(fetch_token(c, scope));
                return "Authorization: Bearer " + tok;
            }
        }
        for (auto& c : m_challenges)
            if (c.scheme == "basic" && m_creds && !m_creds->username.empty())
                return "Authorization: Basic " + base64_encode(m_creds->username + ":" + m_creds->password);
        return std::string();
    }

    /// After a 401: take the new challenge, forget the token of `scope`. True when asking
    /// again can help.
    bool on_unauthorized(const HttpHeaders& headers, const std::string& scope)
    {
        std::vector<Challenge> fresh;
        for (auto& h : headers.all("www-authenticate"))
            if (auto parsed = parse_www_authenticate(h))
                for (auto& c : *parsed)
                    fresh.push_back(std::move(c));
        std::lock_guard lock(m_mu);
        bool had = !m_challenges.empty();
        m_tokens.erase(scope);
        if (!fresh.empty())
            m_challenges = fresh;
        if (m_challenges.empty())
            return false;
        for (auto& c : m_challenges) {
            if (c.scheme == "bearer")
                return true;
            if (c.scheme == "basic" && m_creds && !had)
                return true;
        }
        return false;
    }

    /// For `login`: a token (Bearer) or an accepted Basic /v2/ (checked by the caller).
    Result<bool> bearer_login()
    {
        std::lock_guard lock(m_mu);
        for (auto& c : m_challenges)
            if (c.scheme == "bearer") {
                TRY(fetch_token(c, ""));
                return true;
            }
        return false;
    }

private:
    struct Token {
        std::string token;
        Clock::time_point expires;
    };

    // Called with m_mu held.
    Result<std::string> fetch_token(const Challenge& c, const std::string& scope)
    {
        std::string realm = c.param("realm");
        if (realm.empty())
            return Error(Errc::Io, "registry's Bearer challenge has no realm");
        std::string url = realm;
        char sep = realm.find('?') == std::string::npos ? '?' : '&';
        auto add = [&](const std::string& k, const std::string& v) {
            url += sep;
            url += k + "=" + url_encode(v);
            sep = '&';
        };
        if (auto s = c.param("service"); !s.empty())
            add("service", s);
        // Several scopes are separated by spaces; each becomes its own scope= parameter.
        for (size_t i = 0; i < scope.size();) {
            auto sp = scope.find(' ', i);
            std::string one = scope.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
            if (!one.empty())
                add("scope", one);
            if (sp == std::string::npos)
                break;
            i = sp + 1;
        }
        HttpRequest req;
        req.url = url;
        req.verify_tls = m_verify_tls;
        req.max_body = 1 << 20;
        if (m_creds && !m_creds->username.empty()) {
            add("account", m_creds->username);
            req.url = url;
            req.headers.push_back("Authorization: Basic " +
                                  base64_encode(m_creds->username + ":" + m_creds->password));
        }
        auto resp = TRY_CTX(http_perform(req), "get token");
        if (resp.status == 401 || resp.status == 403)
            return Error(Errc::Permission, "get token from " + realm + ": unauthorized: incorrect username or password");
        if (resp.status != 200)
            return Error(errc_for_status(resp.status),
                         "get token from " + realm + ": " + registry_error_text(resp.status, resp.body));
        Token t;
        int64_t expires_in = 60;
        try {
            auto j = json::parse(resp.body);
            t.token = j.value("token", "");
            if (t.token.empty())
                t.token = j.value("access_token", "");
            if (j.contains("expires_in") && j["expires_in"].is_number())
                expires_in = std::max<int64_t>(60, j["expires_in"].get<int64_t>());
        } catch (const json::exception& e) {
            return Error(Errc::Io, "get token from " + realm + ": invalid response: " + e.what());
        }
        if (t.token.empty())
            return Error(Errc::Io, "get token from " + realm + ": the response has no token");
        // Renew a little early so a token does not expire between header() and the request.
        t.expires = Clock::now() + std::chrono::seconds(expires_in) - std::chrono::seconds(5);
        m_tokens[scope] = t;
        return t.token;
    }

    mutable std::mutex m_mu;
    std::vector<Challenge> m_challenges;
    std::optional<Credentials> m_creds;
    bool m_verify_tls;
    std::map<std::string, Token> m_tokens;
};

// ---------------------------------------------------------------------------------------

RegistryClient::RegistryClient(std::string host, std::string base, bool verify_tls, ClientOptions opts,
                               std::unique_ptr<Auth> auth)
    : m_host(std::move(host)), m_base(std::move(base)), m_verify_tls(verify_tls), m_opts(std::move(opts)),
      m_auth(std::move(auth))
{
}

RegistryClient::~RegistryClient() = default;

Result<std::unique_ptr<RegistryClient>> RegistryClient::connect(const std::string& host, const ClientOptions& opts)
{
    bool lenient = opts.insecure || is_loopback_registry(host);
    struct Try {
        std::string scheme;
        bool verify;
    };
    std::vector<Try> tries = {{"https", !lenient}};
    if (lenient)
        tries.push_back({"http", false});
    // The last failure is reported: for a loopback host that is the plain-HTTP attempt.
    std::optional<Error> last_error;
    for (auto& t : tries) {
        std::string base = t.scheme + "://" + host;
        HttpRequest req;
        req.url = base + "/v2/";
        req.verify_tls = t.verify;
        req.max_body = 1 << 20;
        Result<HttpResponse> resp = Error(Errc::Io, "not tried");
        for (int attempt = 0;; ++attempt) {
            resp = http_perform(req);
            bool transient = !resp ? false : is_transient_status(resp->status);
            // A refused or reset connection on the HTTPS try of a lenient host is the cue for
            // HTTP, not for retrying.
            if (!resp && !(lenient && t.scheme == "https") && attempt < opts.retries) {
                std::this_thread::sleep_for(opts.backoff * (1 << attempt));
                continue;
            }
            if (transient && attempt < opts.retries) {
                std::this_thread::sleep_for(opts.backoff * (1 << attempt));
                continue;
            }
            break;
        }
        if (!resp) {
            last_error = resp.error();
            continue;
        }
        if (resp->status == 404)
            return Error(Errc::Io, "registry " + host + " does not speak the registry v2 API (GET " + req.url +
                                       " answered 404)");
        if (resp->status != 200 && resp->status != 401)
            return Error(errc_for_status(resp->status),
                         "ping " + req.url + ": " + registry_error_text(resp->status, resp->body));
        auto auth = std::make_unique<Auth>(opts.credentials, t.verify);
        if (resp->status == 401) {
            std::vector<Challenge> challenges;
            for (auto& h : resp->headers.all("www-authenticate")) {
                auto parsed = TRY_CTX(parse_www_authenticate(h), "ping " + req.url);
                for (auto& c : parsed)
                    challenges.push_back(std::move(c));
            }
            if (challenges.empty())
                return Error(Errc::Io, "ping " + req.url + ": 401 without a WWW-Authenticate challenge");
            auth->set_challenges(std::move(challenges));
        }
        return std::unique_ptr<RegistryClient>(new RegistryClient(host, base, t.verify, opts, std::move(auth)));
    }
    return std::move(*last_error);
}

void RegistryClient::sleep_before_retry(int attempt, const HttpHeaders* headers) const
{
    auto delay = m_opts.backoff * (1 << std::min(attempt, 6));
    if (headers) {
        // 429 Retry-After in seconds; capped so a hostile registry cannot stall us for long.
        std::string ra = headers->get("retry-after");
        if (!ra.empty() && std::all_of(ra.begin(), ra.end(), ::isdigit))
            delay = std::max<std::chrono::milliseconds>(delay, std::chrono::seconds(std::min(std::stoi(ra), 10)));
    }
    std::this_thread::sleep_for(delay);
}

Result<HttpResponse> RegistryClient::send(HttpRequest req, const std::string& scope, bool retry) const
{
    bool reauthed = false;
    req.verify_tls = m_verify_tls;
    for (int attempt = 0;;) {
        HttpRequest r = req;
        auto auth = TRY(m_auth->header(scope));
        if (!auth.empty())
            r.headers.push_back(auth);
        auto resp = http_perform(r);
        if (!resp) {
            if (retry && resp.error().code() == Errc::Io && attempt < m_opts.retries) {
                sleep_before_retry(attempt++, nullptr);
                continue;
            }
            return std::move(resp).error();
        }
        if (resp->status == 401 && !reauthed && m_auth->on_unauthorized(resp->headers, scope)) {
            reauthed = true;
            continue;
        }
        if (retry && is_transient_status(resp->status) && attempt < m_opts.retries) {
            sleep_before_retry(attempt++, &resp->headers);
            continue;
        }
        return resp;
    }
}

Result<HttpStream> RegistryClient::open_stream(HttpRequest req, const std::string& scope) const
{
    bool reauthed = false;
    req.verify_tls = m_verify_tls;
    for (int attempt = 0;;) {
        HttpRequest r = req;
        auto auth = TRY(m_auth->header(scope));
        if (!auth.empty())
            r.headers.push_back(auth);
        auto s = HttpStream::open(r);
        if (!s) {
            if (s.error().code() == Errc::Io && attempt < m_opts.retries) {
                sleep_before_retry(attempt++, nullptr);
                continue;
            }
            return std::move(s).error();
        }
        if (s->status() == 401 && !reauthed && m_auth->on_unauthorized(s->headers(), scope)) {
            reauthed = true;
            continue;
        }
        if (is_transient_status(s->status()) && attempt < m_opts.retries) {
            sleep_before_retry(attempt++, &s->headers());
            continue;
        }
        return s;
    }
}

Result<void> RegistryClient::verify_credentials() const
{
    if (!m_auth->has_challenge())
        return ok(); // the registry wants no credentials; Docker's login succeeds too
    if (TRY(m_auth->bearer_login()))
        return ok();
    HttpRequest req;
    req.url = url("/v2/");
    req.max_body = 1 << 20;
    auto resp = TRY(send(req, ""));
    if (resp.status == 200)
        return ok();
    return Error(errc_for_status(resp.status), "login attempt to " + req.url + " failed with status: " +
                                                   std::to_string(resp.status) +
                                                   (resp.status == 401 ? " Unauthorized" : ""));
}

Result<FetchedManifest> RegistryClient::get_manifest(const std::string& repo, const std::string& reference,
                                                     const std::optional<Digest>& expected) const
{
    HttpRequest req;
    req.url = url("/v2/" + repo + "/manifests/" + reference);
    req.headers.push_back(std::string("Accept: ") + media::kAcceptManifests);
    req.max_body = 4 << 20; // containerd's MaxManifestSize
    std::string what = m_host + "/" + repo + (reference.starts_with("sha256:") ? "@" : ":") + reference;
    auto resp = TRY_CTX(send(req, repository_scope(repo, false)), "get manifest " + what);
    if (resp.status == 404)
        return Error(Errc::NotFound,
                     "manifest for " + what + " not found: " + registry_error_text(resp.status, resp.body));
    if (resp.status != 200)
        return Error(errc_for_status(resp.status),
                     "get manifest " + what + ": " + registry_error_text(resp.status, resp.body));
    FetchedManifest m;
    m.bytes = std::move(resp.body);
    m.digest = sha256(m.bytes);
    m.media_type = bare_type(resp.headers.get("content-type"));
    auto body_type = sniff_media_type(m.bytes);
    if (!body_type)
        return Error(Errc::Io, "manifest " + what + ": " + body_type.error().message());
    if (m.media_type.empty() || m.media_type == "application/json" || m.media_type == "text/plain" ||
        m.media_type == "application/octet-stream")
        m.media_type = *body_type;
    if (m.media_type == media::kDockerSchema1 || m.media_type == media::kDockerSchema1Plain ||
        *body_type == media::kDockerSchema1 || *body_type == media::kDockerSchema1Plain)
        return Error(Errc::Invalid, "manifest " + what +
                                        " is a Docker schema 1 manifest, which is not supported (push it again "
                                        "with a current client to convert it)");
    if (!media::is_index(m.media_type) && !media::is_manifest(m.media_type))
        return Error(Errc::Invalid, "manifest " + what + " has unsupported media type \"" + m.media_type + "\"");
    if (auto header = resp.headers.get("docker-content-digest"); !header.empty()) {
        auto hd = Digest::parse(header);
        if (hd && hd->algorithm() == "sha256" && *hd != m.digest)
            return Error(Errc::Io, "manifest " + what + ": digest mismatch: the registry says " + hd->str() +
                                       " but the bytes hash to " + m.digest.str());
    }
    if (expected && *expected != m.digest)
        return Error(Errc::Io, "manifest " + what + ": digest mismatch: expected " + expected->str() + ", got " +
                                   m.digest.str());
    return m;
}

Result<Digest> RegistryClient::put_manifest(const std::string& repo, const std::string& reference,
                                            const std::string& bytes, const std::string& media_type) const
{
    HttpRequest req;
    req.method = "PUT";
    req.url = url("/v2/" + repo + "/manifests/" + reference);
    req.headers.push_back("Content-Type: " + media_type);
    req.body = bytes;
    req.max_body = 1 << 20;
    std::string what = m_host + "/" + repo + ":" + reference;
    auto resp = TRY_CTX(send(req, repository_scope(repo, true)), "put manifest " + what);
    if (resp.status != 201 && resp.status != 200)
        return Error(errc_for_status(resp.status),
                     "put manifest " + what + ": " + registry_error_text(resp.status, resp.body));
    Digest ours = sha256(bytes);
    if (auto header = resp.headers.get("docker-content-digest"); !header.empty()) {
        auto hd = Digest::parse(header);
        if (hd && *hd != ours)
            return Error(Errc::Io, "put manifest " + what + ": the registry stored digest " + hd->str() +
                                       " for bytes whose digest is " + ours.str());
    }
    return ours;
}

Result<std::optional<int64_t>> RegistryClient::stat_blob(const std::string& repo, const Digest& digest) const
{
    HttpRequest req;
    req.method = "HEAD";
    req.url = url("/v2/" + repo + "/blobs/" + digest.str());
    // A HEAD for push also needs push rights later; ask for both now so the token is reused.
    auto resp = TRY_CTX(send(req, repository_scope(repo, true)), "check blob " + digest.str());
    if (resp.status == 404)
        return std::optional<int64_t>();
    if (resp.status != 200)
        return Error(errc_for_status(resp.status), "check blob " + digest.str() + " in " + m_host + "/" + repo +
                                                       ": " + registry_error_text(resp.status, resp.body));
    std::string len = resp.headers.get("content-length");
    int64_t size = -1;
    if (!len.empty() && std::all_of(len.begin(), len.end(), ::isdigit))
        size = std::stoll(len);
    return std::optional<int64_t>(size);
}

Result<std::string> RegistryClient::get_blob(const std::string& repo, const Descriptor& desc) const
{
    HttpRequest req;
    req.url = url("/v2/" + repo + "/blobs/" + desc.digest.str());
    req.max_body = 64 << 20;
    auto resp = TRY_CTX(send(req, repository_scope(repo, false)), "get blob " + desc.digest.str());
    if (resp.status != 200)
        return Error(errc_for_status(resp.status), "get blob " + desc.digest.str() + " from " + m_host + "/" +
                                                       repo + ": " + registry_error_text(resp.status, resp.body));
    if (desc.size >= 0 && static_cast<int64_t>(resp.body.size()) != desc.size)
        return Error(Errc::Io, "size mismatch for blob " + desc.digest.str() + ": expected " +
                                   std::to_string(desc.size) + " bytes, got " + std::to_string(resp.body.size()));
    if (Digest got = sha256(resp.body); got != desc.digest)
        return Error(Errc::Io, "digest mismatch for blob " + desc.digest.str() + ": got " + got.str());
    return std::move(resp.body);
}

Result<HttpStream> RegistryClient::open_blob_stream(const std::string& repo, const Descriptor& desc,
                                                    uint64_t from) const
{
    HttpRequest req;
    req.url = url("/v2/" + repo + "/blobs/" + desc.digest.str());
    if (from > 0)
        req.headers.push_back("Range: bytes=" + std::to_string(from) + "-");
    auto s = TRY_CTX(open_stream(req, repository_scope(repo, false)), "get blob " + desc.digest.str());
    if (s.status() == 200 || (from > 0 && s.status() == 206))
        return s;
    auto body = s.read_all(64 << 10);
    std::string text = registry_error_text(s.status(), body ? *body : std::string());
    if (s.status() == 404)
        return Error(Errc::NotFound,
                     "blob " + desc.digest.str() + " not found in " + m_host + "/" + repo + ": " + text);
    return Error(errc_for_status(s.status()),
                 "get blob " + desc.digest.str() + " from " + m_host + "/" + repo + ": " + text);
}

Result<BlobReader> RegistryClient::open_blob(const std::string& repo, const Descriptor& desc) const
{
    auto s = TRY(open_blob_stream(repo, desc, 0));
    return BlobReader(this, repo, desc, std::move(s));
}

BlobReader::BlobReader(const RegistryClient* client, std::string repo, Descriptor desc, HttpStream stream)
    : m_client(client), m_repo(std::move(repo)), m_desc(std::move(desc)),
      m_stream(std::make_unique<HttpStream>(std::move(stream)))
{
}
BlobReader::BlobReader(BlobReader&&) noexcept = default;
BlobReader::~BlobReader() = default;

Result<size_t> BlobReader::read(void* buf, size_t cap)
{
    for (;;) {
        if (!m_stream) {
            auto opened = m_client->open_blob_stream(m_repo, m_desc, m_offset);
            if (!opened)
                return std::move(opened).error().context("download blob " + m_desc.digest.str());
            auto s = std::move(*opened);
            // 200 to a Range request: the registry sends it all again; skip what we have.
            m_skip = s.status() == 200 ? m_offset : 0;
            m_stream = std::make_unique<HttpStream>(std::move(s));
        }
        auto n = m_stream->read(buf, cap);
        if (!n) {
            if (n.error().code() == Errc::Io && m_resumes < m_client->m_opts.retries) {
                m_client->sleep_before_retry(m_resumes++, nullptr);
                m_stream.reset();
                continue;
            }
            return std::move(n).error().context("download blob " + m_desc.digest.str());
        }
        if (*n == 0) {
            if (m_skip)
                return Error(Errc::Io, "download blob " + m_desc.digest.str() + ": shorter on retry");
            return size_t{0};
        }
        size_t got = *n;
        if (m_skip) {
            size_t drop = static_cast<size_t>(std::min<uint64_t>(m_skip, got));
            m_skip -= drop;
            got -= drop;
            if (got == 0)
                continue;
            std::memmove(buf, static_cast<char*>(buf) + drop, got);
        }
        m_offset += got;
        if (m_desc.size >= 0 && m_offset > static_cast<uint64_t>(m_desc.size))
            return Error(Errc::Io, "download blob " + m_desc.digest.str() + ": the registry sent more than the " +
                                       std::to_string(m_desc.size) + " bytes its descriptor says");
        return got;
    }
}

Result<bool> RegistryClient::mount_blob(const std::string& repo, const Digest& digest,
                                        const std::string& from_repo) const
{
    HttpRequest req;
    req.method = "POST";
    req.url = url("/v2/" + repo + "/blobs/uploads/?mount=" + url_encode(digest.str()) + "&from=" + url_encode(from_repo));
    req.max_body = 1 << 20;
    auto resp = TRY_CTX(send(req, repository_scope(repo, true) + " " + repository_scope(from_repo, false)),
                        "mount blob " + digest.str() + " from " + from_repo);
    if (resp.status == 201)
        return true;
    if (resp.status == 202) {
        // The registry opened an ordinary upload session instead: cancel it.
        if (auto loc = resp.headers.get("location"); !loc.empty())
            if (auto abs = resolve_url(req.url, loc)) {
                HttpRequest del;
                del.method = "DELETE";
                del.url = *abs;
                (void)send(del, repository_scope(repo, true), false);
            }
        return false;
    }
    return Error(errc_for_status(resp.status), "mount blob " + digest.str() + " from " + from_repo + ": " +
                                                   registry_error_text(resp.status, resp.body));
}

Result<void> RegistryClient::upload_blob(const std::string& repo, const Digest& digest, int fd, int64_t size,
                                         uint64_t chunk_size, const std::function<void(uint64_t)>& progress) const
{
    const std::string scope = repository_scope(repo, true);
    const std::string what = "upload blob " + digest.str() + " to " + m_host + "/" + repo;
    HttpRequest start;
    start.method = "POST";
    start.url = url("/v2/" + repo + "/blobs/uploads/");
    start.max_body = 1 << 20;
    auto resp = TRY_CTX(send(start, scope), what);
    if (resp.status != 202)
        return Error(errc_for_status(resp.status), what + ": " + registry_error_text(resp.status, resp.body));
    std::string location = resp.headers.get("location");
    if (location.empty())
        return Error(Errc::Io, what + ": the registry gave no upload Location");
    location = TRY_CTX(resolve_url(start.url, location), what);

    struct Cancel {
        const RegistryClient* client;
        const std::string* location;
        const std::string* scope;
        bool armed = true;
        ~Cancel()
        {
            if (!armed)
                return;
            HttpRequest del;
            del.method = "DELETE";
            del.url = *location;
            (void)client->send(del, *scope, false);
        }
    } cancel{this, &location, &scope};

    int64_t sent = 0;
    if (chunk_size > 0) {
        while (sent < size) {
            int64_t n = std::min<int64_t>(static_cast<int64_t>(chunk_size), size - sent);
            HttpRequest patch;
            patch.method = "PATCH";
            patch.url = location;
            patch.body_fd = fd;
            patch.body_offset = sent;
            patch.body_size = n;
            patch.max_body = 1 << 20;
            patch.headers.push_back("Content-Type: application/octet-stream");
            patch.headers.push_back("Content-Range: " + std::to_string(sent) + "-" + std::to_string(sent + n - 1));
            int64_t base = sent;
            if (progress)
                patch.upload_progress = [&progress, base](uint64_t done) { progress(static_cast<uint64_t>(base) + done); };
            // Not retried: a chunk the registry half-took would leave the session out of step.
            auto r = TRY_CTX(send(patch, scope, false), what);
            if (r.status != 202)
                return Error(errc_for_status(r.status), what + ": chunk at " + std::to_string(sent) + ": " +
                                                            registry_error_text(r.status, r.body));
            if (auto loc = r.headers.get("location"); !loc.empty())
                location = TRY_CTX(resolve_url(location, loc), what);
            sent += n;
        }
    }
    HttpRequest put;
    put.method = "PUT";
    put.url = TRY_CTX(append_query(location, "digest", digest.str()), what);
    put.max_body = 1 << 20;
    put.headers.push_back("Content-Type: application/octet-stream");
    if (sent < size) {
        put.body_fd = fd;
        put.body_offset = sent;
        put.body_size = size - sent;
        if (progress)
            put.upload_progress = progress;
    }
    auto r = TRY_CTX(send(put, scope, false), what);
    if (r.status != 201 && r.status != 204)
        return Error(errc_for_status(r.status), what + ": " + registry_error_text(r.status, r.body));
    cancel.armed = false;
    return ok();
}

Result<std::vector<std::string>> RegistryClient::catalog(size_t limit) const
{
    std::vector<std::string> out;
    std::string next = url("/v2/_catalog?n=100");
    while (!next.empty() && out.size() < limit) {
        HttpRequest req;
        req.url = next;
        req.max_body = 8 << 20;
        auto resp = TRY_CTX(send(req, "registry:catalog:*"), "list repositories of " + m_host);
        if (resp.status != 200)
            return Error(errc_for_status(resp.status),
                         "list repositories of " + m_host + ": " + registry_error_text(resp.status, resp.body));
        try {
            auto j = json::parse(resp.body);
            for (auto& r : j.value("repositories", json::array()))
                if (out.size() < limit)
                    out.push_back(r.get<std::string>());
        } catch (const json::exception& e) {
            return Error(Errc::Io, "list repositories of " + m_host + ": invalid response: " + e.what());
        }
        std::string link = link_next(resp.headers.get("link"));
        next = link.empty() ? std::string() : TRY(resolve_url(req.url, link));
    }
    return out;
}

Result<std::vector<std::string>> RegistryClient::list_tags(const std::string& repo) const
{
    std::vector<std::string> out;
    std::string next = url("/v2/" + repo + "/tags/list");
    while (!next.empty()) {
        HttpRequest req;
        req.url = next;
        req.max_body = 8 << 20;
        auto resp = TRY_CTX(send(req, repository_scope(repo, false)), "list tags of " + m_host + "/" + repo);
        if (resp.status != 200)
            return Error(errc_for_status(resp.status), "list tags of " + m_host + "/" + repo + ": " +
                                                           registry_error_text(resp.status, resp.body));
        try {
            auto j = json::parse(resp.body);
            if (j.contains("tags") && j["tags"].is_array())
                for (auto& t : j["tags"])
                    out.push_back(t.get<std::string>());
        } catch (const json::exception& e) {
            return Error(Errc::Io, "list tags of " + repo + ": invalid response: " + e.what());
        }
        std::string link = link_next(resp.headers.get("link"));
        next = link.empty() ? std::string() : TRY(resolve_url(req.url, link));
    }
    return out;
}

} // namespace wharf::engine::registry
