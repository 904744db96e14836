#include "engine/container/container_engine.h"

#include "engine/container/clock.h"
#include "engine/container/container_event.h"
#include "engine/container/image_source.h"
#include "engine/container/runtime.h"
#include "engine/container/user.h"
#include "engine/port/port_dnat.h"
#include "engine/sys/cgroup.h"
#include "engine/sys/process.h"
#include "engine/sys/pty.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <poll.h>
#include <spawn.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace wharf::engine {

using namespace std::chrono_literals;

bool is_active(const ContainerRecord& r)
{
    return r.state.status == ContainerStatus::Running || r.state.status == ContainerStatus::Restarting ||
           r.state.status == ContainerStatus::Paused;
}

Result<void> add_filter(ListFilter& f, const std::string& text)
{
    auto eq = text.find('=');
    if (eq == std::string::npos)
        return Error(Errc::Invalid, "bad format of filter (expected name=value)");
    std::string key = text.substr(0, eq), value = text.substr(eq + 1);
    if (key == "label")
        f.labels.push_back(value);
    else if (key == "name")
        f.names.push_back(value);
    else if (key == "id")
        f.ids.push_back(value);
    else if (key == "status")
        f.statuses.push_back(value);
    else
        return Error(Errc::Invalid, "invalid filter '" + key + "'");
    return ok();
}

Result<ContainerEngine> ContainerEngine::open(const EngineOptions& options)
{
    EngineOptions o = options;
    if (o.wharf_binary.empty()) {
        char buf[4096];
        ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
        if (n < 0)
            return Error::from_errno("readlink(2) /proc/self/exe", errno);
        o.wharf_binary.assign(buf, static_cast<size_t>(n));
    }
    auto store = TRY(ContainerStore::open(o.root));
    store.sweep_detached();
    auto volumes = TRY(VolumeStore::open(o.root));
    return ContainerEngine(std::move(o), std::move(store), std::move(volumes));
}

std::string ContainerEngine::monitor_binary() const
{
    auto slash = m_options.wharf_binary.rfind('/');
    return (slash == std::string::npos ? std::string(".") : m_options.wharf_binary.substr(0, slash)) + "/wharf-monitor";
}

ContainerRecord ContainerEngine::repair(ContainerRecord r)
{
    if (!is_active(r) || sys::process_alive(r.state.monitor_pid, r.state.monitor_start_time))
        return r;
    // The monitor died without recording the end: nothing owns this container any more.
    // Kill what is left; its mounts die with its mount namespace.
    if (sys::process_alive(r.state.pid, r.state.pid_start_time))
        ::kill(r.state.pid, SIGKILL);
    auto cg = sys::Cgroup::open(cgroup_name(r.id));
    cg.kill_all();
    (void)cg.destroy();
    // Its published ports' kernel DNAT rules would send traffic to an address soon reused.
    if (!r.config.publish.empty() || r.config.publish_all)
        (void)remove_port_dnat(m_options.root, r.id);
    auto updated = m_store.update(r.id, [](ContainerRecord& rec) {
        if (!is_active(rec) || sys::process_alive(rec.state.monitor_pid, rec.state.monitor_start_time))
            return;
        rec.state.status = ContainerStatus::Exited;
        rec.state.exit_code = 137;
        rec.state.error = "container monitor exited unexpectedly";
        rec.state.finished_at = now_rfc3339nano();
        rec.state.pid = 0;
        rec.state.monitor_pid = 0;
        if (!rec.state.health.status.empty())
            rec.state.health.status = "unhealthy";
    });
    return updated ? *updated : r;
}

namespace {
// Owner for a bind directory wharf creates: the container's user (beyond Docker, which uses
// root). Names are looked up in the image's /etc/passwd, topmost layer first.
std::pair<uid_t, gid_t> bind_owner(const ContainerConfig& c)
{
    if (c.user.empty())
        return {0, 0};
    std::string passwd, group;
    for (auto it = c.layer_dirs.rbegin(); it != c.layer_dirs.rend(); ++it) {
        if (passwd.empty())
            if (auto p = sys::read_file(*it + "/etc/passwd"))
                passwd = *p;
        if (group.empty())
            if (auto g = sys::read_file(*it + "/etc/group"))
                group = *g;
    }
    auto u = resolve_user(c.user, passwd, group);
    return u ? std::pair{u->uid, u->gid} : std::pair<uid_t, gid_t>{0, 0};
}
} // namespace

Result<void> ContainerEngine::resolve_namespace_modes(ContainerConfig& c)
{
    auto resolve = [&](std::string& mode, const char* what, std::initializer_list<const char*> plain) -> Result<void> {
        if (mode.starts_with("container:")) {
            std::string ref = mode.substr(10);
            if (ref.empty())
                return Error(Errc::Invalid, std::string("invalid ") + what + " mode: " + mode);
            mode = "container:" + TRY(m_store.resolve(ref));
            return ok();
        }
        if (mode.empty() || std::any_of(plain.begin(), plain.end(), [&](const char* p) { return mode == p; }))
            return ok();
        return Error(Errc::Invalid, std::string("invalid ") + what + " mode: " + mode);
    };
    TRY(resolve(c.ipc_mode, "IPC", {"private", "shareable", "host", "none"}));
    if (c.ipc_mode == "private")
        c.ipc_mode.clear();
    TRY(resolve(c.pid_mode, "PID", {"host"}));
    return ok();
}

Result<void> ContainerEngine::inherit_volumes_from(ContainerConfig& c)
{
    std::vector<std::string> resolved;
    for (const auto& entry : c.volumes_from) {
        // CONTAINER[:ro|:rw]; a container name never has a colon.
        auto colon = entry.rfind(':');
        std::string ref = entry.substr(0, colon), mode = colon == std::string::npos ? "" : entry.substr(colon + 1);
        if (ref.empty() || (colon != std::string::npos && mode != "ro" && mode != "rw"))
            return Error(Errc::Invalid, "invalid --volumes-from \"" + entry + "\": expected CONTAINER[:ro|:rw]");
        auto id = TRY(m_store.resolve(ref));
        auto source = TRY(m_store.load(id));
        for (const auto& m : source.config.mounts) {
            // The container's own mounts win, as Docker's do.
            if (std::any_of(c.mounts.begin(), c.mounts.end(), [&](const MountSpec& x) { return x.target == m.target; }))
                continue;
            MountSpec copy = m;
            if (mode == "ro")
                copy.read_only = true;
            else if (mode == "rw")
                copy.read_only = false;
            // The volume belongs to the source: `rm -v` of this container must leave it, and a
            // replacement of this container inherits it again rather than pinning it.
            copy.anonymous = false;
            copy.no_copy = true;
            copy.create_host_path = false;
            c.mounts.push_back(std::move(copy));
        }
        resolved.push_back(colon == std::string::npos ? id : id + ":" + mode);
    }
    c.volumes_from = std::move(resolved);
    return ok();
}

Result<ContainerRecord> ContainerEngine::create(CreateRequest request)
{
    ContainerRecord rec;
    rec.id = new_container_id();
    rec.created = now_rfc3339nano();
    auto& name = request.config.name;
    if (!name.empty() && name[0] == '/')
        name = name.substr(1);
    if (name.empty()) {
        std::vector<std::string> taken;
        for (const auto& r : m_store.list())
            taken.push_back(r.config.name);
        name = random_container_name(taken);
    } else if (!valid_container_name(name)) {
        return Error(Errc::Invalid, "Invalid container name (" + name +
                                        "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    std::string frame = "create container \"" + name + "\"";
    if (request.config.hostname.empty())
        request.config.hostname = rec.id.substr(0, 12);
    if (auto& mode = request.config.network_mode; mode.starts_with("container:")) {
        if (!request.config.publish.empty() || request.config.publish_all)
            return Error(Errc::Invalid, "conflicting options: port publishing and the container type network mode")
                .context(frame);
        auto other = TRY_CTX(m_store.resolve(mode.substr(10)), frame);
        mode = "container:" + other;
        request.config.networks.clear();
    }
    TRY_CTX(resolve_namespace_modes(request.config), frame);
    TRY_CTX(inherit_volumes_from(request.config), frame);
    // An image from the store (a --rootfs container arrives with its layer dirs set).
    std::optional<Image> image;
    std::optional<ImageStore> images;
    if (request.config.layer_dirs.empty()) {
        if (request.config.image.empty())
            return Error(Errc::Invalid, "no image given").context(frame);
        images = TRY_CTX(ImageStore::open(m_options.root), frame);
        image = TRY(apply_image(*images, request));
    }
    rec.config = resolve_config(request);
    auto& c = rec.config;
    if (c.resources.memory > 0 && c.resources.memory < 6 * 1024 * 1024)
        return Error(Errc::Invalid, "Minimum memory limit allowed is 6MB").context(frame);
    TRY_CTX(container_capabilities(c.cap_add, c.cap_drop, c.privileged), frame);

    std::vector<std::string> made_volumes;
    for (auto& m : c.mounts) {
        if (m.type == MountType::Bind) {
            struct stat st{};
            if (::stat(m.source.c_str(), &st) < 0) {
                if (!m.create_host_path)
                    return Error(Errc::Invalid, "invalid mount config for type \"bind\": bind source path does not exist: " + m.source)
                        .context(frame);
                TRY_CTX(sys::make_dirs(m.source, 0755), frame);
                auto [uid, gid] = bind_owner(c);
                if ((uid || gid) && ::chown(m.source.c_str(), uid, gid) < 0)
                    return Error::from_errno("chown " + m.source, errno).context(frame);
            }
        } else if (m.type == MountType::Volume) {
            if (m.source.empty()) {
                m.source = new_container_id();
                m.anonymous = true;
            }
            bool existed = m_volumes.exists(m.source);
            auto v = TRY_CTX(m_volumes.create(m.source, {}, m.anonymous), frame);
            struct stat st{};
            (void)v;
            if (!existed)
                made_volumes.push_back(m.source);
            (void)st;
        }
    }
    // The hold keeps the image's layers from `rmi` and `image prune` while the container exists.
    if (image)
        TRY_CTX(images->add_hold(image->id, rec.id,
                                 rec.config.auto_remove ? sys::Durability::Relaxed : sys::Durability::Fsync), frame);
    auto added = m_store.add(rec);
    if (!added) {
        for (const auto& v : made_volumes)
            (void)m_volumes.remove(v);
        if (image)
            (void)images->release_hold(image->id, rec.id);
        return std::move(added).error().context(frame);
    }
    emit_container_event(m_options.root, rec, "create");
    return rec;
}

namespace {

/// Starts `wharf-monitor ROOT ID` in a new session with posix_spawn(3) (no copy of this
/// process's memory): the status pipe and attached stdio at fds 3..6, named in
/// _WHARF_MONITOR_FDS, /dev/null at 0..2. The monitor forks itself away at once, so the
/// returned child exits immediately and is no parent of the container's monitor.
Result<pid_t> spawn_monitor(const std::string& monitor, const std::string& root, const std::string& id,
                            int status_fd, const StartOptions& options)
{
    int fds[4] = {status_fd, options.attach ? options.stdin_fd : -1, options.attach ? options.stdout_fd : -1,
                  options.attach ? options.stderr_fd : -1};
    // Out of the way of 0..6 first, so that no dup2 below overwrites a source.
    std::vector<sys::UniqueFd> high;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    std::unique_ptr<posix_spawn_file_actions_t, int (*)(posix_spawn_file_actions_t*)> free_actions(
        &actions, posix_spawn_file_actions_destroy);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&actions, 0, 1);
    posix_spawn_file_actions_adddup2(&actions, 0, 2);
    std::string fdenv = "_WHARF_MONITOR_FDS=";
    for (int i = 0; i < 4; ++i) {
        int target = -1;
        if (fds[i] >= 0) {
            high.emplace_back(::fcntl(fds[i], F_DUPFD_CLOEXEC, 100));
            if (!high.back())
                return Error::from_errno("fcntl(2) F_DUPFD_CLOEXEC", errno);
            target = 3 + i;
            posix_spawn_file_actions_adddup2(&actions, high.back().get(), target);
        }
        fdenv += (i ? "," : "") + std::to_string(target);
    }
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    std::unique_ptr<posix_spawnattr_t, int (*)(posix_spawnattr_t*)> free_attr(&attr, posix_spawnattr_destroy);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    std::vector<char*> env;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "_WHARF_MONITOR_FDS=", 19) != 0)
            env.push_back(*e);
    env.push_back(fdenv.data());
    env.push_back(nullptr);
    const char* argv[] = {"wharf-monitor", root.c_str(), id.c_str(), nullptr};
    pid_t pid = -1;
    if (int rc = ::posix_spawn(&pid, monitor.c_str(), &actions, &attr, const_cast<char**>(argv), env.data()); rc != 0)
        return Error::from_errno("posix_spawn(3) " + monitor, rc);
    return pid;
}

} // namespace

Result<Started> ContainerEngine::start(const std::string& name_or_id, const StartOptions& options)
{
    auto id = TRY(m_store.resolve(name_or_id));
    auto rec = repair(TRY(m_store.load(id)));
    std::string frame = "start container \"" + rec.config.name + "\"";
    if (rec.state.status == ContainerStatus::Paused)
        return Error(Errc::Conflict, "cannot start a paused container, try unpause instead").context(frame);
    if (is_active(rec))
        return Started{rec.state.pid, {}};
    // A new start clears a manual stop (Docker) and the restart count.
    TRY_CTX(m_store.update(id, [](ContainerRecord& r) {
        r.state.manually_stopped = false;
        r.state.restart_count = 0;
    }), frame);

    std::string monitor = monitor_binary();
    if (::access(monitor.c_str(), X_OK) != 0)
        return Error::from_errno("container monitor " + monitor, errno).context(frame);
    auto status = TRY_CTX(sys::make_pipe(), frame);
    pid_t child = TRY_CTX(spawn_monitor(monitor, m_options.root, id, status.write.get(), options), frame);
    status.write.reset();
    int st = 0;
    (void)sys::wait_pid(child, &st, 0);
    // First line: "S <pid>" or "E <code> <message>".
    std::string line;
    char ch;
    for (;;) {
        ssize_t n = ::read(status.read.get(), &ch, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || ch == '\n')
            break;
        line += ch;
    }
    if (line.rfind("S ", 0) == 0)
        return Started{std::atoi(line.c_str() + 2), std::move(status.read)};
    if (line.rfind("E ", 0) == 0) {
        auto space = line.find(' ', 2);
        int code = std::atoi(line.substr(2, space - 2).c_str());
        std::string msg = space == std::string::npos ? "" : line.substr(space + 1);
        Error e(code == 127 ? Errc::NotFound : code == 126 ? Errc::Permission : Errc::Sys, msg);
        return e.context(frame);
    }
    return Error(Errc::Internal, "container monitor " + monitor + " exited without a status").context(frame);
}

Result<int> ContainerEngine::wait_attached(const std::string& id, Started& started)
{
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
        sigaddset(&mask, s);
    sigset_t old;
    ::sigprocmask(SIG_BLOCK, &mask, &old);
    sys::UniqueFd sfd(::signalfd(-1, &mask, SFD_CLOEXEC));
    std::string line;
    int code = -1;
    pollfd fds[2] = {{started.status.get(), POLLIN, 0}, {sfd.get(), POLLIN, 0}};
    while (code < 0) {
        int r = ::poll(fds, sfd ? 2 : 1, -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo si{};
            if (::read(sfd.get(), &si, sizeof si) == sizeof si) {
                auto rec = m_store.load(id);
                if (rec && rec->state.pid > 0 && sys::process_alive(rec->state.pid, rec->state.pid_start_time))
                    ::kill(rec->state.pid, static_cast<int>(si.ssi_signo));
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            char buf[256];
            ssize_t n = ::read(started.status.get(), buf, sizeof buf);
            if (n <= 0)
                break;
            line.append(buf, static_cast<size_t>(n));
            size_t nl;
            while ((nl = line.find('\n')) != std::string::npos) {
                std::string l = line.substr(0, nl);
                line.erase(0, nl + 1);
                if (l.rfind("X ", 0) == 0)
                    code = std::atoi(l.c_str() + 2);
            }
        }
    }
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    if (code >= 0)
        return code;
    // The monitor went away without a final status: the record knows what happened.
    return wait(id);
}

Result<void> ContainerEngine::wait_monitor_exit(const ContainerRecord& rec, int timeout_ms)
{
    if (!sys::process_alive(rec.state.monitor_pid, rec.state.monitor_start_time))
        return ok();
    auto fd = sys::pidfd_open(rec.state.monitor_pid);
    if (!fd)
        return ok();
    TRY(sys::pidfd_wait_exit(fd->get(), timeout_ms));
    return ok();
}

Result<void> ContainerEngine::stop(const std::string& name_or_id, std::optional<int> timeout, const std::string& signal)
{
    auto id = TRY(m_store.resolve(name_or_id));
    auto rec = repair(TRY(m_store.load(id)));
    if (!is_active(rec))
        return ok();
    std::string sig_name = !signal.empty() ? signal : !rec.config.stop_signal.empty() ? rec.config.stop_signal : "SIGTERM";
    int sig = sys::signal_from_name(sig_name);
    if (sig < 0)
        return Error(Errc::Invalid, "invalid signal: " + sig_name);
    int wait_s = timeout ? *timeout : rec.config.stop_timeout.value_or(10);
    rec = TRY(m_store.update(id, [](ContainerRecord& r) { r.state.manually_stopped = true; }));
    bool paused = rec.state.status == ContainerStatus::Paused;
    if ((rec.state.status == ContainerStatus::Running || paused) &&
        sys::process_alive(rec.state.pid, rec.state.pid_start_time)) {
        auto pidfd = TRY(sys::pidfd_open(rec.state.pid));
        // A paused container gets the signal queued, then is thawed to receive it.
        auto send = [&](int s) {
            emit_container_event(m_options.root, rec, "kill", {{"signal", std::to_string(s)}});
            auto sent = sys::pidfd_kill(pidfd.get(), s);
            if (paused) {
                resume_after_signal(rec);
                paused = false;
            }
            return sent;
        };
        bool exited = false;
        // PID 1 of a pid namespace only gets signals it handles: without a handler the stop
        // signal is dropped, and waiting out the grace period would be pointless.
        if (wait_s != 0 && sys::process_catches_signal(rec.state.pid, sig)) {
            auto sent = send(sig);
            exited = TRY(sys::pidfd_wait_exit(pidfd.get(), !sent ? 2000 : wait_s < 0 ? -1 : wait_s * 1000));
        }
        if (!exited) {
            (void)send(SIGKILL);
            (void)sys::pidfd_wait_exit(pidfd.get(), 2000);
        }
    }
    TRY(wait_monitor_exit(rec, 10000));
    repair(TRY(m_store.load(id)));
    emit_container_event(m_options.root, rec, "stop");
    return ok();
}

Result<void> ContainerEngine::kill(const std::string& name_or_id, const std::string& signal)
{
    auto id = TRY(m_store.resolve(name_or_id));
    auto rec = repair(TRY(m_store.load(id)));
    int sig = sys::signal_from_name(signal);
    if (sig < 0)
        return Error(Errc::Invalid, "invalid signal: " + signal);
    if (!is_active(rec) || !sys::process_alive(rec.state.pid, rec.state.pid_start_time))
        return Error(Errc::Conflict, "cannot kill container: " + name_or_id + ": container " + id + " is not running");
    if (sig == SIGKILL)
        TRY(m_store.update(id, [](ContainerRecord& r) { r.state.manually_stopped = true; }));
    auto pidfd = TRY(sys::pidfd_open(rec.state.pid));
    emit_container_event(m_options.root, rec, "kill", {{"signal", std::to_string(sig)}});
    TRY(sys::pidfd_kill(pidfd.get(), sig));
    // Docker thaws a paused container for SIGKILL and for its stop signal (any signal when
    // none is configured): the container is meant to exit. Other signals wait for unpause.
    if (rec.state.status == ContainerStatus::Paused &&
        (sig == SIGKILL || rec.config.stop_signal.empty() || sys::signal_from_name(rec.config.stop_signal) == sig))
        resume_after_signal(rec);
    if (sig == SIGKILL) {
        (void)sys::pidfd_wait_exit(pidfd.get(), 2000);
        TRY(wait_monitor_exit(rec, 5000));
    }
    return ok();
}

Result<void> ContainerEngine::remove(const std::string& name_or_id, bool force, bool volumes)
{
    auto id = TRY(m_store.resolve(name_or_id));
    auto rec = repair(TRY(m_store.load(id)));
    if (is_active(rec)) {
        if (!force)
            return Error(Errc::Conflict, "cannot remove container \"/" + rec.config.name +
                                             "\": container is running: stop the container before removing or force remove");
        TRY(kill(id, "SIGKILL"));
        rec = repair(TRY(m_store.load(id)));
    }
    // A monitor may still be finishing (or removing an --rm container itself).
    TRY(wait_monitor_exit(rec, 5000));
    auto cg = sys::Cgroup::open(cgroup_name(id));
    (void)cg.destroy();
    if (volumes)
        for (const auto& m : rec.config.mounts)
            if (m.type == MountType::Volume && m.anonymous) {
                // Docker ignores "volume in use": another container inherited it (--volumes-from).
                auto users = volume_users(m.source);
                if (std::all_of(users.begin(), users.end(), [&](const std::string& u) { return u == id; }))
                    (void)m_volumes.remove(m.source);
            }
    TRY(m_store.remove(id));
    emit_container_event(m_options.root, rec, "destroy");
    if (!rec.config.image_id.empty())
        if (auto digest = Digest::parse(rec.config.image_id))
            if (auto images = ImageStore::open(m_options.root))
                (void)images->release_hold(*digest, id);
    return ok();
}

void ContainerEngine::resume_after_signal(const ContainerRecord& rec)
{
    (void)sys::Cgroup::open(cgroup_name(rec.id)).thaw();
    (void)m_store.update(rec.id, [](ContainerRecord& r) {
        if (r.state.status == ContainerStatus::Paused)
            r.state.status = ContainerStatus::Running;
    });
}

Result<void> ContainerEngine::pause(const std::string& name_or_id)
{
    auto id = TRY(m_store.resolve(name_or_id));
    auto rec = repair(TRY(m_store.load(id)));
    if (rec.state.status == ContainerStatus::Paused)
        return Error(Errc::Conflict, "Container " + id + " is already paused");
    if (rec.state.status == ContainerStatus::Restarting)
        return Error(Errc::Conflict, "Container " + id + " is restarting, wait until the container is running");
    if (rec.state.status != ContainerStatus::Running || !sys::process_alive(rec.state.pid, rec.state.pid_start_time))
        return Error(Errc::Conflict, "Container " + id + " is not running");
    auto cg = sys::Cgroup::open(cgroup_name(id));
    TRY_CTX(cg.freeze(), "pause container \"" + rec.config.name + "\"");
    bool recorded = false;
    auto updated = m_store.update(id, [&](ContainerRecord& r) {
        recorded = r.state.status == ContainerStatus::Running;
        if (recorded)
            r.state.status = ContainerStatus::Paused;
    });
    if (!updated || !recorded) {
        // It exited (or was stopped) while we froze it: leave nothing frozen behind.
        (void)cg.thaw();
        if (!updated)
            return std::move(updated).error().context("pause container \"" + rec.config.name + "\"");
        return Error(Errc::Conflict, "Container " + id + " is not running");
    }
    emit_container_event(m_options.root, *updated, "pause");
    return ok();
}

Result<void> ContainerEngine::unpause(const std::string& name_or_id)
{
    auto id = TRY(m_store.resolve(name_or_id));
    auto rec = repair(TRY(m_store.load(id)));
    if (rec.state.status != ContainerStatus::Paused)
        return Error(Errc::Conflict, "Container " + id + " is not paused");
    TRY_CTX(sys::Cgroup::open(cgroup_name(id)).thaw(), "unpause container \"" + rec.config.name + "\"");
    auto updated = TRY(m_store.update(id, [](ContainerRecord& r) {
        if (r.state.status == ContainerStatus::Paused)
            r.state.status = ContainerStatus::Running;
    }));
    emit_container_event(m_options.root, updated, "unpause");
    return ok();
}

Result<ContainerRecord> ContainerEngine::inspect(const std::string& name_or_id)
{
    auto id = TRY(m_store.resolve(name_or_id));
    return repair(TRY(m_store.load(id)));
}

std::vector<ContainerRecord> ContainerEngine::list(const ListFilter& f)
{
    std::vector<ContainerRecord> out;
    for (auto& r : m_store.list()) {
        r = repair(std::move(r));
        std::string status = to_string(r.state.status);
        if (!f.all && f.statuses.empty() && !is_active(r))
            continue;
        if (!f.statuses.empty() && std::find(f.statuses.begin(), f.statuses.end(), status) == f.statuses.end())
            continue;
        bool ok = true;
        for (const auto& l : f.labels) {
            auto eq = l.find('=');
            auto it = r.config.labels.find(l.substr(0, eq));
            if (it == r.config.labels.end() || (eq != std::string::npos && it->second != l.substr(eq + 1)))
                ok = false;
        }
        if (!f.names.empty() && std::none_of(f.names.begin(), f.names.end(), [&](const std::string& n) {
                return r.config.name.find(n) != std::string::npos;
            }))
            ok = false;
        if (!f.ids.empty() && std::none_of(f.ids.begin(), f.ids.end(), [&](const std::string& i) {
                return r.id.rfind(i, 0) == 0;
            }))
            ok = false;
        if (ok)
            out.push_back(std::move(r));
    }
    return out;
}

Result<int> ContainerEngine::wait(const std::string& name_or_id)
{
    auto id = TRY(m_store.resolve(name_or_id));
    for (;;) {
        auto rec = m_store.load(id);
        if (!rec)
            return std::move(rec).error();
        auto r = repair(std::move(*rec));
        if (!is_active(r) && !sys::process_alive(r.state.monitor_pid, r.state.monitor_start_time))
            return r.state.exit_code;
        if ((r.state.status == ContainerStatus::Running || r.state.status == ContainerStatus::Paused) &&
            sys::process_alive(r.state.monitor_pid, r.state.monitor_start_time)) {
            auto fd = sys::pidfd_open(r.state.monitor_pid);
            if (fd)
                (void)sys::pidfd_wait_exit(fd->get(), 1000);
        } else {
            std::this_thread::sleep_for(50ms);
        }
    }
}

std::vector<std::string> ContainerEngine::volume_users(const std::string& name)
{
    std::vector<std::string> out;
    for (const auto& r : m_store.list())
        for (const auto& m : r.config.mounts)
            if (m.type == MountType::Volume && m.source == name)
                out.push_back(r.id);
    return out;
}

} // namespace wharf::engine
