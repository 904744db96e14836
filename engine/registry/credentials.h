#pragma once
/// Registry credentials in Docker's client config format (`~/.docker/config.json`, or
/// `$DOCKER_CONFIG/config.json`), so `wharf login` and `docker login` share one file:
///
///   {"auths": {"127.0.0.1:5000": {"auth": "<base64 user:password>"},
///              "https://index.docker.io/v1/": {"auth": "…"}}}
///
/// Docker Hub (docker.io, index.docker.io, registry-1.docker.io) is keyed
/// `https://index.docker.io/v1/`; other registries by `host[:port]`. Lookups also accept keys
/// written with a scheme or a `/v1/`, `/v2/` suffix (as Docker does). Every other field of the
/// file (proxies, …) is kept as it was. `credHelpers` ({"host": "name"}) and `credsStore`
/// ("name") name credential helpers (credential_helper.h runs them); this class only reads
/// which one applies and keeps the `auths` part. The file is written atomically, mode 0600.
/// Values only; not thread-safe while being modified.

#include "engine/base/result.h"

#include <map>
#include <optional>
#include <string>

namespace wharf::engine::registry {

struct Credentials {
    std::string username;
    std::string password;
    std::string identity_token; ///< `identitytoken` (OAuth2 refresh token), when the file has one
};

/// The config file: `$DOCKER_CONFIG/config.json` when DOCKER_CONFIG is set, else
/// `$HOME/.docker/config.json` (HOME from getpwuid when unset). Reads the environment.
std::string docker_config_path_from_env();

/// The key a registry host is stored under ("docker.io" -> "https://index.docker.io/v1/").
std::string credential_key(const std::string& registry_host);

class CredentialStore {
public:
    /// A missing file is an empty store; a corrupt one is an error naming the file.
    static Result<CredentialStore> load(const std::string& path);

    std::optional<Credentials> get(const std::string& registry_host) const;
    void set(const std::string& registry_host, const Credentials& c);
    /// An `auths` entry without secrets (Docker's marker that a helper holds them).
    void set_empty(const std::string& registry_host);
    /// True when something was removed.
    bool erase(const std::string& registry_host);
    /// The helper configured for the host: `credHelpers[host]`, else `credsStore`; "" = none.
    std::string helper_for(const std::string& registry_host) const;
    /// Creates the directory when missing.
    Result<void> save() const;
    const std::string& path() const { return m_path; }

private:
    CredentialStore(std::string path, std::string json_text) : m_path(std::move(path)), m_text(std::move(json_text)) {}
    std::string m_path;
    std::string m_text; ///< the whole document, serialised (keeps unknown fields)
};

/// base64 (RFC 4648, with padding) and its inverse (fails on bad input).
std::string base64_encode(std::string_view bytes);
Result<std::string> base64_decode(std::string_view text);

} // namespace wharf::engine::registry
