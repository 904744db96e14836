#pragma once
/// Docker's credential helpers: `credsStore` ("desktop", "pass", …) and per-registry
/// `credHelpers` ({"127.0.0.1:5000": "wharftest"}) in config.json name a program
/// `docker-credential-<name>` on PATH that keeps the secrets. Its protocol:
///
///   get    stdin: the server URL           stdout: {"ServerURL","Username","Secret"}
///   store  stdin: {"ServerURL","Username","Secret"}
///   erase  stdin: the server URL
///
/// A `Username` of `<token>` means `Secret` is an identity token. A failing `get` whose
/// output is "credentials not found" means no credentials, not an error. Each call has a
/// deadline (a helper waiting for a desktop unlock must not hang a pull forever); the
/// program is run without a shell.

#include "engine/base/result.h"
#include "engine/registry/credentials.h"

#include <chrono>
#include <optional>
#include <string>

namespace wharf::engine::registry {

class CredentialHelper {
public:
    explicit CredentialHelper(std::string name, std::chrono::milliseconds timeout = std::chrono::seconds(30))
        : m_name(std::move(name))
        , m_timeout(timeout)
    {
    }

    /// nullopt when the helper has none for `server_url`. Errors name the program and carry
    /// what it printed: `docker-credential-x get: exit status 1: <its output>`.
    Result<std::optional<Credentials>> get(const std::string& server_url) const;
    Result<void> store(const std::string& server_url, const Credentials& credentials) const;
    /// A helper that has nothing to erase ("credentials not found") is not an error.
    Result<void> erase(const std::string& server_url) const;

    /// `docker-credential-<name>`.
    std::string program() const { return "docker-credential-" + m_name; }

private:
    Result<std::string> call(const std::string& verb, const std::string& input, bool* not_found) const;

    std::string m_name;
    std::chrono::milliseconds m_timeout;
};

/// Docker's lookup: the helper configured for the host (helper_for), else the file's auths.
/// A helper that fails is an error (as Docker's "error getting credentials").
Result<std::optional<Credentials>> find_credentials(
    const CredentialStore& store, const std::string& registry_host);
/// `login`: through the helper when one is configured (the file then gets an empty
/// `auths` entry for the host, as Docker writes), else into the file; saves the file.
Result<void> save_credentials(CredentialStore& store, const std::string& registry_host, const Credentials& c);
/// `logout`: erases from the helper (if any) and the file; true when the file had an entry
/// or a helper was asked. Saves the file.
Result<bool> remove_credentials(CredentialStore& store, const std::string& registry_host);

} // namespace wharf::engine::registry
