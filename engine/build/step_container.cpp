// One RUN step in a container of the runtime (see step_container.h).
#include "engine/build/step_container.h"

#include "engine/container/container_engine.h"
#include "engine/container/runtime.h"
#include "engine/sys/pty.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace wharf::engine::build {
namespace {

/// Removes the step's container however the step ends.
class ContainerGuard {
public:
    ContainerGuard(ContainerEngine& engine, std::string id) : m_engine(engine), m_id(std::move(id)) {}
    ContainerGuard(const ContainerGuard&) = delete;
    ContainerGuard& operator=(const ContainerGuard&) = delete;
    ~ContainerGuard() { (void)m_engine.remove(m_id, /*force=*/true, /*volumes=*/true); }

private:
    ContainerEngine& m_engine;
    std::string m_id;
};

/// Catches the signals a user stops a build with (SIGINT, SIGTERM, SIGHUP) while a step
/// runs: the handler writes the signal number to a pipe that the wait loop polls. Handlers,
/// unlike a blocked signal mask, are reset by execve, so the monitor and the step's process
/// forked meanwhile get the default dispositions. Restores the old handlers on destruction.
class SignalWatch {
public:
    SignalWatch() = default;
    Result<void> install()
    {
        auto p = TRY(sys::make_pipe());
        m_read = std::move(p.read);
        m_write = std::move(p.write);
        s_write_fd = m_write.get();
        struct sigaction sa{};
        sa.sa_handler = &SignalWatch::on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < 3; ++i)
            ::sigaction(kSignals[i], &sa, &m_old[i]);
        m_installed = true;
        return ok();
    }
    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;
    ~SignalWatch()
    {
        if (!m_installed)
            return;
        for (size_t i = 0; i < 3; ++i)
            ::sigaction(kSignals[i], &m_old[i], nullptr);
        s_write_fd = -1;
    }
    int fd() const { return m_read.get(); }
    /// The last signal number read, or 0.
    int take()
    {
        unsigned char b[16];
        ssize_t n = ::read(m_read.get(), b, sizeof b);
        return n > 0 ? b[n - 1] : 0;
    }

private:
    static void on_signal(int sig)
    {
        int saved = errno;
        unsigned char b = static_cast<unsigned char>(sig);
        if (s_write_fd >= 0)
            (void)!::write(s_write_fd, &b, 1);
        errno = saved;
    }
    static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
    static inline volatile int s_write_fd = -1;
    sys::UniqueFd m_read, m_write;
    struct sigaction m_old[3]{};
    bool m_installed = false;
};

std::string shown(const std::vector<std::string>& argv)
{
    std::string s;
    for (const auto& a : argv)
        s += (s.empty() ? "" : " ") + a;
    return s;
}

} // namespace

Result<int> run_step_container(const RunSpec& spec, const StepContainerOptions& options)
{
    if (spec.argv.empty())
        return Error(Errc::Invalid, "RUN: no command");
    if (spec.network != "none" && spec.network != "host")
        return Error(Errc::Invalid, "RUN --network=" + spec.network + ": only \"none\" and \"host\" are supported");
    auto engine = TRY(ContainerEngine::open(EngineOptions{options.state_root, options.wharf_binary}));

    CreateRequest req;
    auto& c = req.config;
    c.layer_dirs = spec.lower_dirs;
    c.hostname = spec.hostname;
    c.user = spec.user;
    c.working_dir = spec.cwd.empty() ? "/" : spec.cwd;
    c.cmd = spec.argv;
    c.network_mode = spec.network;
    c.labels["wharf.build.step"] = "true";
    req.entrypoint_set = true; // argv is the whole command line
    req.user_env = spec.env;
    SignalWatch signals;
    TRY(signals.install());
    auto record = TRY_CTX(engine.create(std::move(req)), "create build container");
    ContainerGuard guard(engine, record.id);

    auto out = TRY(sys::make_pipe());
    StartOptions so;
    so.attach = true;
    so.stdout_fd = out.write.get();
    so.stderr_fd = out.write.get();
    auto started = engine.start(record.id, so);
    out.write.reset(); // the monitor holds the only write end now: EOF when it is done
    if (!started)
        return std::move(started).error().context("run " + shown(spec.argv));

    int code = -1;
    bool interrupted = false;
    bool output_open = true, status_open = true;
    std::string status;
    char buf[16384];
    while (output_open || status_open) {
        pollfd fds[3] = {{out.read.get(), POLLIN, 0}, {started->status.get(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
        if (!output_open)
            fds[0].fd = -1;
        if (!status_open)
            fds[1].fd = -1;
        int r = ::poll(fds, 3, -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return Error::from_errno("poll(2) build container", errno);
        if (fds[2].revents & POLLIN) {
            if (signals.take() != 0 && !interrupted) {
                interrupted = true;
                (void)engine.kill(record.id, "SIGKILL");
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::read(out.read.get(), buf, sizeof buf);
            if (n > 0) {
                if (spec.output)
                    spec.output(std::string_view(buf, static_cast<size_t>(n)));
            } else if (n == 0 || errno != EINTR) {
                output_open = false;
            }
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::read(started->status.get(), buf, sizeof buf);
            if (n > 0) {
                status.append(buf, static_cast<size_t>(n));
                size_t nl;
                while ((nl = status.find('\n')) != std::string::npos) {
                    std::string line = status.substr(0, nl);
                    status.erase(0, nl + 1);
                    if (line.rfind("X ", 0) == 0)
                        code = std::atoi(line.c_str() + 2);
                }
            } else if (n == 0 || errno != EINTR) {
                status_open = false;
            }
        }
    }
    // The monitor is gone (both pipes closed); the record holds the code if the status
    // line never came (the monitor was killed).
    if (code < 0)
        code = TRY(engine.wait(record.id));
    if (interrupted)
        return Error(Errc::Interrupted, "interrupted");

    auto paths = container_paths(engine.store(), record.id);
    if (::rename(paths.upper.c_str(), spec.upper_dir.c_str()) != 0)
        return Error::from_errno("rename " + paths.upper + " to " + spec.upper_dir, errno)
            .context("collect the changes of the build container");
    return code;
}

} // namespace wharf::engine::build
