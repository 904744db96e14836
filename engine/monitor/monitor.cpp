#include "engine/monitor/monitor.h"

#include "engine/container/clock.h"
#include "engine/container/container_store.h"
#include "engine/container/exec.h"
#include "engine/container/runtime.h"
#include "engine/image/image_holds.h"
#include "engine/monitor/json_log.h"
#include "engine/sys/cgroup.h"
#include "engine/sys/pty.h"
#include "engine/volume/volume_store.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <csignal>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace wharf::engine {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kDefaultInterval = 30'000'000'000;
constexpr int64_t kDefaultTimeout = 30'000'000'000;
constexpr int64_t kDefaultStartInterval = 5'000'000'000;
constexpr int kDefaultRetries = 3;

class Monitor {
public:
    Monitor(const MonitorOptions& opts, ContainerStore store)
        : m_opts(opts), m_store(std::move(store)), m_signals(m_io, SIGCHLD, SIGTERM), m_restart_timer(m_io),
          m_health_timer(m_io), m_probe_timer(m_io), m_drain_timer(m_io)
    {
    }

    int run()
    {
        auto rec = m_store.load(m_opts.id);
        if (!rec) {
            report("E 125 " + rec.error().summary());
            return 1;
        }
        m_record = std::move(*rec);
        auto log = JsonLogWriter::open(m_store.log_path(m_opts.id));
        if (!log) {
            report("E 125 " + log.error().summary());
            return 1;
        }
        m_log.emplace(std::move(*log));
        wait_signals();
        if (!start_once(true))
            return 1;
        m_io.run();
        return 0;
    }

private:
    void report(const std::string& line)
    {
        if (m_opts.status_fd >= 0 && !sys::write_all(m_opts.status_fd, line + "\n"))
            m_opts.status_fd = -1;
    }

    void update(const std::function<void(ContainerRecord&)>& change)
    {
        auto r = m_store.update(m_opts.id, change);
        if (r)
            m_record = std::move(*r);
    }

    // Returns false when the container could not start (recorded, reported).
    bool start_once(bool first)
    {
        int code = 125;
        auto r = spawn(&code);
        if (!r) {
            std::string msg = r.error().summary();
            update([&](ContainerRecord& rec) {
                rec.state.status = first ? ContainerStatus::Created : ContainerStatus::Exited;
                if (!first)
                    rec.state.finished_at = now_rfc3339nano();
                rec.state.exit_code = code;
                rec.state.error = msg;
                rec.state.pid = 0;
                rec.state.monitor_pid = 0;
            });
            if (m_cgroup)
                (void)m_cgroup->destroy();
            m_hook.reset();
            if (m_record.config.auto_remove && first)
                remove_container();
            report("E " + std::to_string(code) + " " + msg);
            m_io.stop();
            return false;
        }
        report("S " + std::to_string(m_init_pid));
        if (m_opts.attach_stdout < 0 && m_opts.status_fd >= 0) {
            // Detached start: the CLI has what it needs.
            ::close(m_opts.status_fd);
            m_opts.status_fd = -1;
        }
        return true;
    }

    Result<void> spawn(int* code)
    {
        const auto& c = m_record.config;
        auto plan = TRY(prepare_init(m_store, m_record));
        auto paths = container_paths(m_store, m_opts.id);

        // Stdio.
        m_open_streams = 0;
        sys::UniqueFd child_in, child_out, child_err;
        if (c.tty) {
            auto pty = TRY(sys::open_pty());
            if (m_opts.attach_stdin >= 0)
                sys::copy_window_size(m_opts.attach_stdin, pty.master.get());
            else {
                winsize ws{24, 80, 0, 0};
                ::ioctl(pty.master.get(), TIOCSWINSZ, &ws);
            }
            int master = pty.master.release();
            child_in = sys::UniqueFd(::dup(pty.slave.get()));
            child_out = sys::UniqueFd(::dup(pty.slave.get()));
            child_err = std::move(pty.slave);
            read_stream(master, LogStream::Stdout);
            if (m_opts.attach_stdin >= 0 && c.open_stdin)
                relay_stdin(master);
        } else {
            auto out = TRY(sys::make_pipe());
            auto err = TRY(sys::make_pipe());
            child_out = std::move(out.write);
            child_err = std::move(err.write);
            read_stream(out.read.release(), LogStream::Stdout);
            read_stream(err.read.release(), LogStream::Stderr);
            if (c.open_stdin && m_opts.attach_stdin >= 0) {
                child_in = sys::UniqueFd(::dup(m_opts.attach_stdin));
            } else if (c.open_stdin) {
                // Detached -i: stdin stays open, nothing writes to it (Docker's behaviour).
                auto in = TRY(sys::make_pipe());
                child_in = std::move(in.read);
                m_stdin_keepalive = std::move(in.write);
            } else {
                child_in = sys::UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
            }
        }
        plan.stdin_fd = child_in.get();
        plan.stdout_fd = child_out.get();
        plan.stderr_fd = child_err.get();

        sys::CgroupLimits limits;
        limits.memory = c.resources.memory;
        limits.memory_swap = c.resources.memory_swap != 0 ? c.resources.memory_swap
                             : c.resources.memory > 0     ? 2 * c.resources.memory
                                                          : 0;
        limits.cpu_quota_us = c.resources.nano_cpus / 10000;
        limits.cpu_shares = c.resources.cpu_shares;
        limits.pids = c.resources.pids_limit;
        auto stale = sys::Cgroup::open(cgroup_name(m_opts.id));
        (void)stale.destroy();
        m_cgroup = TRY_CTX(sys::Cgroup::create(cgroup_name(m_opts.id), limits), "create cgroup");
        m_hook = make_network_hook(m_record);

        NetworkSetup net;
        auto child = TRY(spawn_init(
            plan,
            [&](pid_t pid) -> Result<void> {
                TRY_CTX(m_cgroup->add(pid), "join cgroup");
                sys::UniqueFd netns(::open(("/proc/" + std::to_string(pid) + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC));
                NetworkHookContext ctx{m_record, pid, netns.get(), m_opts.root, m_io};
                net = TRY_CTX(m_hook->attach(ctx), "set up network");
                return write_etc_files(paths, m_record, net);
            },
            code));
        m_init_pid = child.release();
        m_init_exited = false;
        m_started = std::chrono::steady_clock::now();
        auto start_time = sys::process_start_time(m_init_pid);
        bool has_health = c.healthcheck && !c.healthcheck->test.empty() && c.healthcheck->test[0] != "NONE";
        update([&](ContainerRecord& rec) {
            rec.state.status = ContainerStatus::Running;
            rec.state.pid = m_init_pid;
            rec.state.pid_start_time = start_time;
            rec.state.monitor_pid = ::getpid();
            rec.state.monitor_start_time = sys::process_start_time(::getpid());
            rec.state.started_at = now_rfc3339nano();
            rec.state.error.clear();
            rec.state.oom_killed = false;
            rec.state.network_ips = net.ips;
            rec.state.port_mappings = net.port_mappings;
            if (has_health) {
                rec.state.health.status = "starting";
                rec.state.health.failing_streak = 0;
            }
        });
        if (has_health) {
            m_started_wall = std::chrono::system_clock::now();
            schedule_health();
        }
        return ok();
    }

    void read_stream(int fd, LogStream stream)
    {
        auto sd = std::make_shared<asio::posix::stream_descriptor>(m_io, fd);
        auto buf = std::make_shared<std::array<char, 16384>>();
        ++m_open_streams;
        m_streams.push_back(sd);
        read_more(sd, buf, stream);
    }

    void read_more(std::shared_ptr<asio::posix::stream_descriptor> sd, std::shared_ptr<std::array<char, 16384>> buf,
                   LogStream stream)
    {
        sd->async_read_some(asio::buffer(*buf), [this, sd, buf, stream](boost::system::error_code ec, size_t n) {
            if (n > 0) {
                std::string_view data(buf->data(), n);
                m_log->write(stream, data);
                int out = stream == LogStream::Stdout ? m_opts.attach_stdout : m_opts.attach_stderr;
                if (out >= 0 && !sys::write_all(out, data)) {
                    // The attached CLI went away: keep logging, stop echoing.
                    m_opts.attach_stdout = m_opts.attach_stderr = -1;
                }
            }
            if (ec) {
                // EOF on a pipe, EIO on a pty master once the last slave fd closed.
                m_log->flush(stream);
                boost::system::error_code ignored;
                sd->close(ignored);
                --m_open_streams;
                maybe_finish();
                return;
            }
            read_more(sd, buf, stream);
        });
    }

    void relay_stdin(int master)
    {
        int in = ::dup(m_opts.attach_stdin);
        ::fcntl(in, F_SETFD, FD_CLOEXEC);
        auto sd = std::make_shared<asio::posix::stream_descriptor>(m_io, in);
        auto buf = std::make_shared<std::array<char, 4096>>();
        m_stdin_relay = sd;
        relay_more(sd, buf, master);
    }

    void relay_more(std::shared_ptr<asio::posix::stream_descriptor> sd, std::shared_ptr<std::array<char, 4096>> buf,
                    int master)
    {
        sd->async_read_some(asio::buffer(*buf), [this, sd, buf, master](boost::system::error_code ec, size_t n) {
            if (ec || m_init_exited)
                return;
            (void)sys::write_all(master, std::string_view(buf->data(), n));
            relay_more(sd, buf, master);
        });
    }

    void wait_signals()
    {
        m_signals.async_wait([this](boost::system::error_code ec, int sig) {
            if (ec)
                return;
            if (sig == SIGTERM && !m_init_exited && m_init_pid > 0)
                ::kill(m_init_pid, SIGKILL);
            if (sig == SIGCHLD)
                reap();
            wait_signals();
        });
    }

    void reap()
    {
        for (;;) {
            int status = 0;
            pid_t pid = ::waitpid(-1, &status, WNOHANG);
            if (pid <= 0)
                return;
            int code = sys::exit_code_from_status(status);
            if (pid == m_init_pid) {
                m_init_exited = true;
                m_exit_code = code;
                // The pid namespace is gone with its init; anything still holding our pipes
                // (nothing should) gets two seconds before we stop waiting for EOF.
                m_drain_timer.expires_after(2s);
                m_drain_timer.async_wait([this](boost::system::error_code ec) {
                    if (ec)
                        return;
                    for (auto& s : m_streams) {
                        boost::system::error_code ignored;
                        s->cancel(ignored);
                    }
                });
                maybe_finish();
            } else if (pid == m_probe_pid) {
                probe_done(code);
            }
        }
    }

    void maybe_finish()
    {
        if (!m_init_exited || m_open_streams > 0 || m_finishing)
            return;
        m_finishing = true;
        m_drain_timer.cancel();
        m_streams.clear();
        if (m_stdin_relay) {
            boost::system::error_code ignored;
            m_stdin_relay->close(ignored);
            m_stdin_relay.reset();
        }
        m_stdin_keepalive.reset();
        m_health_timer.cancel();
        m_probe_timer.cancel();
        if (m_probe_pid > 0)
            ::kill(m_probe_pid, SIGKILL);
        bool oom = m_cgroup && m_cgroup->oom_killed();
        if (m_cgroup)
            (void)m_cgroup->destroy();
        if (m_hook)
            m_hook->detach(m_record, m_opts.root);
        m_hook.reset();

        auto reloaded = m_store.load(m_opts.id);
        if (reloaded)
            m_record = std::move(*reloaded);
        const auto& policy = m_record.config.restart;
        bool manual = m_record.state.manually_stopped;
        bool restart = false;
        if (!manual) {
            switch (policy.name) {
            case RestartName::No: break;
            case RestartName::Always:
            case RestartName::UnlessStopped: restart = true; break;
            case RestartName::OnFailure:
                restart = m_exit_code != 0 && (policy.max_retries == 0 || m_record.state.restart_count < policy.max_retries);
                break;
            }
        }
        auto ran = std::chrono::steady_clock::now() - m_started;
        update([&](ContainerRecord& rec) {
            rec.state.status = restart ? ContainerStatus::Restarting : ContainerStatus::Exited;
            rec.state.exit_code = m_exit_code;
            rec.state.oom_killed = oom;
            rec.state.finished_at = now_rfc3339nano();
            rec.state.pid = 0;
            rec.state.pid_start_time = 0;
            if (!restart) {
                rec.state.monitor_pid = 0;
                rec.state.monitor_start_time = 0;
            }
            if (!rec.state.health.status.empty())
                rec.state.health.status = "unhealthy";
        });
        if (restart) {
            m_backoff = ran >= 10s ? 100ms : (m_first_backoff ? 100ms : std::min<std::chrono::milliseconds>(m_backoff * 2, 60s));
            m_first_backoff = false;
            m_restart_timer.expires_after(m_backoff);
            m_restart_timer.async_wait([this](boost::system::error_code ec) {
                if (ec)
                    return;
                auto now = m_store.load(m_opts.id);
                if (!now || now->state.manually_stopped) {
                    update([](ContainerRecord& rec) {
                        rec.state.status = ContainerStatus::Exited;
                        rec.state.monitor_pid = 0;
                    });
                    finish_for_good();
                    return;
                }
                update([](ContainerRecord& rec) { ++rec.state.restart_count; });
                m_finishing = false;
                if (!start_once(false))
                    finish_for_good();
            });
            return;
        }
        finish_for_good();
    }

    void finish_for_good()
    {
        if (m_record.config.auto_remove)
            remove_container();
        report("X " + std::to_string(m_exit_code));
        m_signals.cancel();
        m_io.stop();
    }

    void remove_container()
    {
        auto volumes = VolumeStore::open(m_opts.root);
        if (volumes)
            for (const auto& m : m_record.config.mounts)
                if (m.type == MountType::Volume && m.anonymous)
                    (void)volumes->remove(m.source);
        (void)m_store.remove(m_opts.id);
        if (auto digest = Digest::parse(m_record.config.image_id); digest && !m_record.config.image_id.empty())
            (void)ImageHolds(m_opts.root + "/image").release(*digest, m_opts.id);
    }

    // Healthchecks (engine-reference §9.1).
    void schedule_health()
    {
        const auto& h = *m_record.config.healthcheck;
        int64_t interval = h.interval_ns ? h.interval_ns : kDefaultInterval;
        int64_t start_interval = h.start_interval_ns ? h.start_interval_ns : kDefaultStartInterval;
        auto since_start = std::chrono::system_clock::now() - m_started_wall;
        bool in_start_period = since_start < std::chrono::nanoseconds(h.start_period_ns);
        int64_t wait = m_record.state.health.status == "starting" && in_start_period ? start_interval : interval;
        m_health_timer.expires_after(std::chrono::nanoseconds(wait));
        m_health_timer.async_wait([this](boost::system::error_code ec) {
            if (!ec && !m_init_exited)
                run_probe();
        });
    }

    void run_probe()
    {
        const auto& h = *m_record.config.healthcheck;
        ExecSpec spec;
        if (h.test[0] == "CMD-SHELL")
            spec.argv = {"/bin/sh", "-c", h.test.size() > 1 ? h.test[1] : ""};
        else
            spec.argv.assign(h.test.begin() + (h.test[0] == "CMD" ? 1 : 0), h.test.end());
        auto out = sys::make_pipe();
        if (!out) {
            schedule_health();
            return;
        }
        ::fcntl(out->read.get(), F_SETFL, O_NONBLOCK);
        spec.stdout_fd = out->write.get();
        spec.stderr_fd = out->write.get();
        m_probe_start = now_rfc3339nano();
        int code = 0;
        auto child = exec_in_container(m_store, m_record, spec, &code);
        if (!child) {
            record_probe(code, child.error().summary());
            schedule_health();
            return;
        }
        m_probe_pid = child->release();
        m_probe_out = std::move(out->read);
        m_probe_timed_out = false;
        int64_t timeout = h.timeout_ns ? h.timeout_ns : kDefaultTimeout;
        m_probe_timer.expires_after(std::chrono::nanoseconds(timeout));
        m_probe_timer.async_wait([this, timeout](boost::system::error_code ec) {
            if (ec || m_probe_pid <= 0)
                return;
            m_probe_timed_out = true;
            m_probe_timeout_text = "Health check exceeded timeout (" + std::to_string(timeout / 1'000'000'000) + "s)";
            ::kill(m_probe_pid, SIGKILL);
        });
    }

    void probe_done(int code)
    {
        m_probe_pid = -1;
        m_probe_timer.cancel();
        std::string output;
        char buf[4096];
        ssize_t n;
        while (m_probe_out && (n = ::read(m_probe_out.get(), buf, sizeof buf)) > 0)
            output.append(buf, static_cast<size_t>(n));
        m_probe_out.reset();
        if (m_probe_timed_out) {
            code = -1;
            output = m_probe_timeout_text;
        }
        record_probe(code, output);
        if (!m_init_exited)
            schedule_health();
    }

    void record_probe(int code, std::string output)
    {
        if (output.size() > 4096)
            output.resize(4096);
        const auto& h = *m_record.config.healthcheck;
        int retries = h.retries ? h.retries : kDefaultRetries;
        auto since_start = std::chrono::system_clock::now() - m_started_wall;
        bool in_start_period = since_start < std::chrono::nanoseconds(h.start_period_ns);
        HealthResult result{m_probe_start, now_rfc3339nano(), code, output};
        update([&](ContainerRecord& rec) {
            auto& hs = rec.state.health;
            hs.log.push_back(result);
            if (hs.log.size() > 5)
                hs.log.erase(hs.log.begin());
            if (code == 0) {
                hs.status = "healthy";
                hs.failing_streak = 0;
            } else if (!(hs.status == "starting" && in_start_period)) {
                ++hs.failing_streak;
                if (hs.failing_streak >= retries)
                    hs.status = "unhealthy";
            }
        });
    }

    MonitorOptions m_opts;
    ContainerStore m_store;
    ContainerRecord m_record;
    asio::io_context m_io;
    asio::signal_set m_signals;
    asio::steady_timer m_restart_timer, m_health_timer, m_probe_timer, m_drain_timer;
    std::optional<JsonLogWriter> m_log;
    std::optional<sys::Cgroup> m_cgroup;
    std::unique_ptr<NetworkHook> m_hook;
    std::vector<std::shared_ptr<asio::posix::stream_descriptor>> m_streams;
    std::shared_ptr<asio::posix::stream_descriptor> m_stdin_relay;
    sys::UniqueFd m_stdin_keepalive;
    pid_t m_init_pid = -1;
    bool m_init_exited = false;
    bool m_finishing = false;
    int m_open_streams = 0;
    int m_exit_code = 0;
    std::chrono::steady_clock::time_point m_started;
    SystemTime m_started_wall;
    std::chrono::milliseconds m_backoff{100};
    bool m_first_backoff = true;
    pid_t m_probe_pid = -1;
    sys::UniqueFd m_probe_out;
    std::string m_probe_start;
    bool m_probe_timed_out = false;
    std::string m_probe_timeout_text;
};

} // namespace

int run_monitor(const MonitorOptions& options)
{
    // Inherited descriptors (status pipe, attached stdio) must not leak into the container.
    for (int fd : {options.status_fd, options.attach_stdin, options.attach_stdout, options.attach_stderr})
        if (fd >= 0)
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    ::signal(SIGPIPE, SIG_IGN);
    ::signal(SIGHUP, SIG_IGN);
    ::signal(SIGINT, SIG_IGN);
    // The monitor must outlive a memory-starved container.
    if (int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC); fd >= 0) {
        (void)sys::write_all(fd, "-1000");
        ::close(fd);
    }
    auto store = ContainerStore::open(options.root);
    if (!store) {
        if (options.status_fd >= 0)
            (void)sys::write_all(options.status_fd, "E 125 " + store.error().summary() + "\n");
        return 1;
    }
    Monitor monitor(options, std::move(*store));
    return monitor.run();
}

} // namespace wharf::engine
