// One RUN step in a container of the runtime (see step_container.h).
#include "engine/build/step_container.h"

#include "engine/container/container_engine.h"
#include "engine/container/runtime.h"
#include "engine/sys/process.h"
#include "engine/sys/pty.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace wharf::engine::build {
namespace {

/// Removes the step's container however the step ends.
class ContainerGuard {
public:
    ContainerGuard(ContainerEngine& engine, std::string id)
        : m_engine(engine)
        , m_id(std::move(id))
    {
    }
    ContainerGuard(const ContainerGuard&) = delete;
    ContainerGuard& operator=(const ContainerGuard&) = delete;
    ~ContainerGuard() { (void)m_engine.remove(m_id, /*force=*/true, /*volumes=*/true); }

private:
    ContainerEngine& m_engine;
    std::string m_id;
};

/// Catches the signals a user stops a build with (SIGINT, SIGTERM, SIGHUP) while steps
/// run: the handler writes the signal number to the pipe of every running step, whose wait
/// loop polls it. Handlers, unlike a blocked signal mask, are reset by execve, so the
/// monitor and the step's process forked meanwhile get the default dispositions. Steps may
/// run on several threads (Compose builds services in parallel): the handlers are installed
/// by the first watch and the old ones restored when the last ends.
class SignalWatch {
public:
    SignalWatch() = default;
    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;

    Result<void> install()
    {
        auto p = TRY(sys::make_pipe());
        ::fcntl(p.write.get(), F_SETFL, O_NONBLOCK); // a handler must never block
        m_read = std::move(p.read);
        m_write = std::move(p.write);
        std::lock_guard lock(s_mutex);
        for (auto& slot : s_fds) {
            int expected = 0;
            if (slot.compare_exchange_strong(expected, m_write.get() + 1)) {
                m_slot = &slot;
                break;
            }
        }
        if (!m_slot)
            return Error(Errc::Internal, "too many build steps running at once in one process");
        if (s_watches++ == 0) {
            struct sigaction sa { };
            sa.sa_handler = &SignalWatch::on_signal;
            sigemptyset(&sa.sa_mask);
            for (size_t i = 0; i < 3; ++i) {
                ::sigaction(kSignals[i], nullptr, &s_old[i]);
                // An ignored signal stays ignored (a background job's SIGINT, nohup's SIGHUP).
                if (s_old[i].sa_handler != SIG_IGN)
                    ::sigaction(kSignals[i], &sa, nullptr);
            }
        }
        return ok();
    }
    ~SignalWatch()
    {
        if (!m_slot)
            return;
        std::lock_guard lock(s_mutex);
        m_slot->store(0);
        if (--s_watches == 0)
            for (size_t i = 0; i < 3; ++i)
                ::sigaction(kSignals[i], &s_old[i], nullptr);
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
        for (auto& slot : s_fds)
            if (int fd = slot.load(); fd > 0)
                (void)!::write(fd - 1, &b, 1);
        errno = saved;
    }
    static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
    /// Write ends of the running steps' pipes, stored as fd + 1 (0 = free slot).
    static inline std::atomic<int> s_fds[64];
    static inline std::mutex s_mutex;
    static inline int s_watches = 0;
    static inline struct sigaction s_old[3] {};
    sys::UniqueFd m_read, m_write;
    std::atomic<int>* m_slot = nullptr;
};

/// "<pid>:<start time>": which process runs the build, robust against pid reuse.
std::string owner_label(pid_t pid)
{
    return std::to_string(pid) + ":" + std::to_string(sys::process_start_time(pid));
}

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
        return Error(
            Errc::Invalid, "RUN --network=" + spec.network + ": only \"none\" and \"host\" are supported");
    auto engine = TRY(ContainerEngine::open(EngineOptions {options.state_root, options.wharf_binary}));

    CreateRequest req;
    auto& c = req.config;
    c.layer_dirs = spec.lower_dirs;
    c.hostname = spec.hostname;
    c.user = spec.user;
    c.working_dir = spec.cwd.empty() ? "/" : spec.cwd;
    c.cmd = spec.argv;
    c.network_mode = spec.network;
    c.labels["wharf.build.step"] = "true";
    c.labels["wharf.build.owner"] = owner_label(::getpid());
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
        pollfd fds[3]
            = {{out.read.get(), POLLIN, 0}, {started->status.get(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
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

void sweep_build_containers(const std::string& state_root, const std::string& wharf_binary)
{
    auto engine = ContainerEngine::open(EngineOptions {state_root, wharf_binary});
    if (!engine)
        return;
    ListFilter f;
    f.all = true;
    f.labels = {"wharf.build.step=true"};
    for (const auto& r : engine->list(f)) {
        auto owner = r.config.labels.find("wharf.build.owner");
        if (owner == r.config.labels.end())
            continue;
        auto colon = owner->second.find(':');
        pid_t pid = static_cast<pid_t>(std::strtol(owner->second.c_str(), nullptr, 10));
        unsigned long long start
            = colon == std::string::npos ? 0 : std::strtoull(owner->second.c_str() + colon + 1, nullptr, 10);
        if (pid > 0 && !sys::process_alive(pid, start))
            (void)engine->remove(r.id, /*force=*/true, /*volumes=*/true);
    }
}

} // namespace wharf::engine::build
