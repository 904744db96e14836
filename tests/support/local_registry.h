#pragma once
// LocalRegistry: Debian's docker-registry (/usr/bin/docker-registry) on 127.0.0.1:<free port>
// with its storage in a fresh temporary directory, for pull/push tests. Started by
// start(); killed, reaped and its directory removed on destruction (or by stop()).
#include "engine/base/result.h"
#include "engine/sys/file.h"
#include "engine/sys/process.h"

#include <optional>
#include <string>

namespace wharf::test {

/// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();
/// Waits until something accepts connections on 127.0.0.1:port (false after `timeout_ms`).
bool wait_for_port(int port, int timeout_ms);

struct LocalRegistryOptions {
    /// `auth: htpasswd` with one bcrypt user (made with apache2-utils' `htpasswd -B`).
    std::optional<std::pair<std::string, std::string>> htpasswd_user;
};

class LocalRegistry {
public:
    static Result<LocalRegistry> start(const LocalRegistryOptions& opts = {});
    LocalRegistry(LocalRegistry&&) = default;
    ~LocalRegistry() = default;

    /// "127.0.0.1:PORT"
    std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }
    int port() const { return m_port; }
    /// Kills the registry now (its storage stays until destruction).
    void stop() { m_process = sys::ChildProcess(); }
    const std::string& dir() const { return m_dir.path(); }

private:
    LocalRegistry(sys::TempDir dir, int port, sys::ChildProcess p)
        : m_dir(std::move(dir)), m_port(port), m_process(std::move(p)) {}
    sys::TempDir m_dir;
    int m_port;
    sys::ChildProcess m_process; // declared last: killed before the directory goes
};

} // namespace wharf::test
