#pragma once
/// RegistryClient: one registry host spoken to over the OCI distribution API
/// (engine-reference §2): ping, auth, manifests, blobs, uploads, catalog.
///
/// connect() pings `/v2/` without credentials and records the `WWW-Authenticate`
/// challenges. HTTPS always, except for loopback registries (`localhost`, `127.0.0.0/8`,
/// `[::1]`) or `insecure`: those try HTTPS without certificate checks, then plain HTTP, as
/// Docker does for insecure registries. Auth follows the challenge: Basic sends the
/// credentials on every request; Bearer fetches a token from the realm for the request's
/// scope (`repository:<name>:pull[,push]`), anonymously when there are no credentials, caches
/// it per scope until `expires_in` (default 60 s) and fetches a new one after a 401.
/// Transient failures (connection errors, 408/429/5xx) are retried `retries` times with
/// doubling back-off; a broken blob download resumes with `Range` from where it stopped.
///
/// Errors say what was asked of whom and what the registry answered, decoding the
/// distribution error body: `manifest for 127.0.0.1:5000/app:nope not found: manifest
/// unknown: manifest unknown` (NotFound), `… unauthorized: authentication required`
/// (Permission), other failures Errc::Io.
/// Thread-safe: one client may serve parallel blob downloads and uploads.

#include "engine/base/digest.h"
#include "engine/base/result.h"
#include "engine/image/manifest.h"
#include "engine/registry/credentials.h"
#include "engine/registry/http.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wharf::engine::registry {

struct ClientOptions {
    std::optional<Credentials> credentials;
    /// Allow plain HTTP / unverified TLS for a non-loopback host (Docker's insecure-registries).
    bool insecure = false;
    int retries = 3;
    std::chrono::milliseconds backoff{200};
};

struct FetchedManifest {
    std::string bytes;      ///< exactly as served
    std::string media_type; ///< from Content-Type (or the body's mediaType)
    Digest digest;          ///< sha256 of `bytes`
};

class RegistryClient;

/// A blob being downloaded. read() hands out the body as it arrives; after a broken
/// transfer it reconnects with `Range: bytes=<offset>-` (or skips what it had, when the
/// registry ignores Range). More bytes than the descriptor's size is an error. It does not
/// verify the digest: the content store's ingest does, at commit.
class BlobReader {
public:
    BlobReader(BlobReader&&) noexcept;
    ~BlobReader();
    /// 0 = end of blob.
    Result<size_t> read(void* buf, size_t cap);
    uint64_t offset() const { return m_offset; }

private:
    friend class RegistryClient;
    BlobReader(const RegistryClient* client, std::string repo, Descriptor desc, HttpStream stream);
    const RegistryClient* m_client;
    std::string m_repo;
    Descriptor m_desc;
    std::unique_ptr<HttpStream> m_stream;
    uint64_t m_offset = 0;
    uint64_t m_skip = 0;
    int m_resumes = 0;
};

class RegistryClient {
public:
    /// `host` as in a reference: "127.0.0.1:5000", "registry-1.docker.io", "[::1]:5000".
    static Result<std::unique_ptr<RegistryClient>> connect(const std::string& host, const ClientOptions& opts);
    ~RegistryClient();

    const std::string& host() const { return m_host; }
    /// "http://127.0.0.1:5000"
    const std::string& base_url() const { return m_base; }

    /// Checks that the credentials are accepted (Basic: an authenticated `/v2/`; Bearer: a
    /// token is granted). Fails with Errc::Permission when they are not.
    Result<void> verify_credentials() const;

    /// GET /v2/<repo>/manifests/<reference> accepting every manifest type wharf reads.
    /// When `expected` is given (a digest reference) the bytes must hash to it. Schema 1
    /// manifests are refused.
    Result<FetchedManifest> get_manifest(const std::string& repo, const std::string& reference,
                                         const std::optional<Digest>& expected = std::nullopt) const;
    /// PUT of the exact bytes; returns the digest the registry reports (checked against ours).
    Result<Digest> put_manifest(const std::string& repo, const std::string& reference, const std::string& bytes,
                                const std::string& media_type) const;

    /// HEAD /v2/<repo>/blobs/<digest>: its size, or nullopt when the registry lacks it.
    Result<std::optional<int64_t>> stat_blob(const std::string& repo, const Digest& digest) const;
    /// A small blob (a config) fetched whole and verified against the descriptor.
    Result<std::string> get_blob(const std::string& repo, const Descriptor& desc) const;
    Result<BlobReader> open_blob(const std::string& repo, const Descriptor& desc) const;

    /// Cross-repository mount: true when mounted, false when the registry declined (the
    /// upload session it opened instead is cancelled).
    Result<bool> mount_blob(const std::string& repo, const Digest& digest, const std::string& from_repo) const;
    /// Uploads `size` bytes of the file `fd` as blob `digest`: one PUT (chunk_size 0) or
    /// PATCH chunks of `chunk_size` then the closing PUT. The session is cancelled on failure.
    Result<void> upload_blob(const std::string& repo, const Digest& digest, int fd, int64_t size,
                             uint64_t chunk_size = 0,
                             const std::function<void(uint64_t)>& progress = {}) const;

    /// Repository names from /v2/_catalog (following `Link` pagination), at most `limit`.
    Result<std::vector<std::string>> catalog(size_t limit = 10000) const;
    Result<std::vector<std::string>> list_tags(const std::string& repo) const;

private:
    friend class BlobReader;
    class Auth;
    RegistryClient(std::string host, std::string base, bool verify_tls, ClientOptions opts, std::unique_ptr<Auth> auth);

    /// One request with auth for `scope`, one re-auth after a 401 and (when `retry`)
    /// retries of transient failures.
    Result<HttpResponse> send(HttpRequest req, const std::string& scope, bool retry = true) const;
    Result<HttpStream> open_stream(HttpRequest req, const std::string& scope) const;
    Result<HttpStream> open_blob_stream(const std::string& repo, const Descriptor& desc, uint64_t from) const;
    std::string url(const std::string& path) const { return m_base + path; }
    void sleep_before_retry(int attempt, const HttpHeaders* headers) const;

    std::string m_host;
    std::string m_base;
    bool m_verify_tls;
    ClientOptions m_opts;
    std::unique_ptr<Auth> m_auth;
};

/// True for hosts Docker treats as insecure by default: localhost, 127.0.0.0/8, ::1 (any port).
bool is_loopback_registry(const std::string& host);
/// "repository:<repo>:pull" / ":pull,push".
std::string repository_scope(const std::string& repo, bool push);
/// The error text of a registry's error body ({"errors":[{"code","message"}]}):
/// "manifest unknown: manifest unknown"; without one, 401/403 get Docker's wording and
/// anything else "HTTP 500".
std::string registry_error_text(long status, const std::string& body);
/// The `rel="next"` target of a Link header, or "".
std::string link_next(const std::string& link_header);

} // namespace wharf::engine::registry
