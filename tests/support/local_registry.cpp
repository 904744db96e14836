#include "tests/support/local_registry.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace wharf::test {

int free_port()
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool wait_for_port(int port, int timeout_ms)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<uint16_t>(port));
        bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        if (ok)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

namespace {

Result<void> run_htpasswd(const std::string& file, const std::string& user, const std::string& pass)
{
    pid_t pid = ::fork();
    if (pid < 0)
        return Error::from_errno("fork", errno);
    if (pid == 0) {
        int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execl("/usr/bin/htpasswd", "htpasswd", "-Bbc", file.c_str(), user.c_str(), pass.c_str(), nullptr);
        ::_exit(127);
    }
    sys::ChildProcess child(pid);
    int code = TRY(child.wait());
    if (code != 0)
        return Error(Errc::Sys, "htpasswd -B exited with " + std::to_string(code) + " (is apache2-utils installed?)");
    return ok();
}

} // namespace

Result<LocalRegistry> LocalRegistry::start(const LocalRegistryOptions& opts)
{
    if (::access("/usr/bin/docker-registry", X_OK) != 0)
        return Error(Errc::NotFound, "/usr/bin/docker-registry is missing: run tools/setup (package docker-registry)");
    auto dir = TRY(sys::TempDir::create("wharf-registry"));
    int port = free_port();
    std::string config = "version: 0.1\n"
                         "log:\n  level: error\n  accesslog:\n    disabled: true\n"
                         "storage:\n  filesystem:\n    rootdirectory: " + dir.path() + "/data\n"
                         "  delete:\n    enabled: true\n"
                         "http:\n  addr: 127.0.0.1:" + std::to_string(port) + "\n";
    if (opts.htpasswd_user) {
        std::string file = dir.path() + "/htpasswd";
        TRY(run_htpasswd(file, opts.htpasswd_user->first, opts.htpasswd_user->second));
        config += "auth:\n  htpasswd:\n    realm: wharf-test\n    path: " + file + "\n";
    }
    std::string config_path = dir.path() + "/config.yml";
    TRY(sys::write_file_atomic(config_path, config));
    std::string log = dir.path() + "/registry.log";
    pid_t pid = ::fork();
    if (pid < 0)
        return Error::from_errno("fork", errno);
    if (pid == 0) {
        int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execl("/usr/bin/docker-registry", "docker-registry", "serve", config_path.c_str(), nullptr);
        ::_exit(127);
    }
    sys::ChildProcess child(pid);
    if (!wait_for_port(port, 10000)) {
        auto text = sys::read_file(log);
        return Error(Errc::Io, "docker-registry did not listen on 127.0.0.1:" + std::to_string(port) + ": " +
                                   (text ? *text : std::string()));
    }
    return LocalRegistry(std::move(dir), port, std::move(child));
}

} // namespace wharf::test
