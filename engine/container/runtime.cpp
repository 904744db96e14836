#include "engine/container/runtime.h"

#include "engine/base/split.h"
#include "engine/sys/cgroup.h"
#include "engine/sys/file.h"
#include "engine/sys/namespace.h"
#include "engine/sys/pty.h"
#include "engine/volume/volume_store.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sched.h>
#include <optional>
#include <sys/socket.h>
#include <unistd.h>

namespace wharf::engine {

namespace {
constexpr const char* kInitBinary = "/usr/bin/tini-static";
}

ContainerPaths container_paths(const ContainerStore& store, const std::string& id)
{
    ContainerPaths p;
    p.dir = store.dir(id);
    p.upper = p.dir + "/upper";
    p.work = p.dir + "/work";
    p.merged = p.dir + "/merged";
    p.hosts = p.dir + "/hosts";
    p.hostname = p.dir + "/hostname";
    p.resolv = p.dir + "/resolv.conf";
    p.log = store.log_path(id);
    return p;
}

std::string cgroup_name(const std::string& id) { return "wharf/" + id; }

namespace {
// `--ipc`/`--pid container:X`: the namespaces of X's running init (as --network container:X).
Result<void> join_namespaces(const ContainerStore& store, const ContainerConfig& c, InitPlan& plan)
{
    auto running_init = [&](const std::string& mode, const char* what) -> Result<std::string> {
        std::string other = mode.substr(10);
        auto target = TRY_CTX(store.load(other), std::string("join ") + what + " namespace of container " + other.substr(0, 12));
        if (target.state.status != ContainerStatus::Running || target.state.pid <= 0 ||
            !sys::process_alive(target.state.pid, target.state.pid_start_time))
            return Error(Errc::Conflict, std::string("cannot join ") + what + " namespace of a non running container: " +
                                             target.config.name);
        return "/proc/" + std::to_string(target.state.pid) + "/ns/";
    };
    if (c.ipc_mode == "host") {
        plan.ipc = InitPlan::Ipc::Host;
    } else if (c.ipc_mode == "none") {
        plan.ipc = InitPlan::Ipc::None;
    } else if (c.ipc_mode.starts_with("container:")) {
        std::string ns = TRY(running_init(c.ipc_mode, "IPC"));
        plan.ipc = InitPlan::Ipc::Joined;
        plan.join_ipcns = ns + "ipc";
        plan.shm_mntns = ns + "mnt";
    }
    if (c.pid_mode == "host")
        plan.own_pid = false;
    else if (c.pid_mode.starts_with("container:"))
        plan.join_pidns = TRY(running_init(c.pid_mode, "PID")) + "pid";
    return ok();
}
} // namespace

Result<InitPlan> prepare_init(const ContainerStore& store, const ContainerRecord& record)
{
    const auto& c = record.config;
    auto paths = container_paths(store, record.id);
    for (const auto& d : {paths.upper, paths.work, paths.merged})
        TRY(sys::make_dirs(d, 0755));
    if (c.layer_dirs.empty())
        return Error(Errc::Invalid, "container has no image layers");
    InitPlan plan;
    plan.rootfs = paths.merged;
    // overlayfs wants the topmost lower dir first.
    std::string lower;
    for (auto it = c.layer_dirs.rbegin(); it != c.layer_dirs.rend(); ++it)
        lower += (lower.empty() ? "" : ":") + *it;
    plan.overlay_options = "lowerdir=" + lower + ",upperdir=" + paths.upper + ",workdir=" + paths.work;
    if (plan.overlay_options.size() >= 4096)
        return Error(Errc::Invalid, "overlay options exceed one page (" + std::to_string(c.layer_dirs.size()) + " layers)");

    auto volumes = TRY(VolumeStore::open(store.root()));
    std::vector<MountSpec> mounts = c.mounts;
    // Parents mount before their children.
    std::stable_sort(mounts.begin(), mounts.end(), [](const MountSpec& a, const MountSpec& b) {
        return std::count(a.target.begin(), a.target.end(), '/') < std::count(b.target.begin(), b.target.end(), '/');
    });
    for (const auto& m : mounts) {
        InitMount im;
        im.type = m.type;
        im.target = m.target;
        im.read_only = m.read_only;
        if (m.type == MountType::Volume) {
            auto v = TRY(volumes.get(m.source));
            im.source = v.mountpoint;
            im.populate = !m.no_copy;
        } else if (m.type == MountType::Bind) {
            im.source = m.source;
        } else {
            std::string data;
            for (const auto& o : m.options)
                data += (data.empty() ? "" : ",") + o;
            im.data = data;
        }
        plan.mounts.push_back(im);
    }
    plan.hosts_file = paths.hosts;
    plan.hostname_file = paths.hostname;
    plan.resolv_file = paths.resolv;
    plan.hostname = c.hostname.empty() ? record.id.substr(0, 12) : c.hostname;
    plan.domainname = c.domainname;
    plan.read_only = c.read_only;
    plan.privileged = c.privileged;
    plan.tty = c.tty;
    plan.own_network = c.network_mode != "host";
    plan.cgroup2 = sys::Cgroup::host_is_v2();
    if (c.network_mode.starts_with("container:")) {
        // Docker's container network mode: the other container's namespace, its hostname
        // and its hosts/resolv.conf files.
        std::string other = c.network_mode.substr(10);
        auto target = TRY_CTX(store.load(other), "join network of container " + other.substr(0, 12));
        if (target.state.status != ContainerStatus::Running || target.state.pid <= 0 ||
            !sys::process_alive(target.state.pid, target.state.pid_start_time))
            return Error(Errc::Conflict, "cannot join network namespace of a non running container: " +
                                             target.config.name);
        plan.join_netns = "/proc/" + std::to_string(target.state.pid) + "/ns/net";
        auto tp = container_paths(store, target.id);
        plan.hosts_file = tp.hosts;
        plan.resolv_file = tp.resolv;
        plan.hostname = target.config.hostname.empty() ? target.id.substr(0, 12) : target.config.hostname;
    }
    TRY(join_namespaces(store, c, plan));
    plan.argv = c.entrypoint;
    plan.argv.insert(plan.argv.end(), c.cmd.begin(), c.cmd.end());
    if (c.init) {
        // Docker's --init: a static tini (Debian's tini package) as PID 1 reaps zombies and
        // forwards signals; bound read-only where Docker puts its docker-init.
        if (!sys::exists(kInitBinary))
            return Error(Errc::NotFound, std::string("--init needs ") + kInitBinary + " (Debian package tini): run tools/setup");
        plan.mounts.push_back({MountType::Bind, kInitBinary, "/sbin/docker-init", true, false, ""});
        plan.argv.insert(plan.argv.begin(), {"/sbin/docker-init", "--"});
    }
    plan.env = c.env;
    plan.cwd = c.working_dir.empty() ? "/" : c.working_dir;
    plan.user = c.user;
    plan.capabilities = TRY(container_capabilities(c.cap_add, c.cap_drop, c.privileged));
    return plan;
}

namespace {
// The host's nameservers a container can reach: loopback ones (systemd-resolved's
// 127.0.0.53) are unreachable from another network namespace, as Docker notes.
std::string host_resolv_conf(bool own_network)
{
    std::string path = "/etc/resolv.conf";
    auto text = sys::read_file(path);
    if (text && text->find("nameserver 127.0.0.53") != std::string::npos && sys::exists("/run/systemd/resolve/resolv.conf"))
        text = sys::read_file("/run/systemd/resolve/resolv.conf");
    if (!text)
        return "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";
    if (!own_network)
        return *text;
    std::string out;
    bool any = false;
    for (std::string_view line : split_lines(*text)) {
        if (line.starts_with("nameserver")) {
            std::string_view addr = line.substr(std::min(line.find_first_not_of(" \t", 10), line.size()));
            if (addr.rfind("127.", 0) == 0 || addr == "::1")
                continue;
            any = true;
        }
        out.append(line).append("\n");
    }
    if (!any)
        out += "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";
    return out;
}
} // namespace

Result<void> write_etc_files(const ContainerPaths& paths, const ContainerRecord& record, const NetworkSetup& net)
{
    const auto& c = record.config;
    std::string hostname = c.hostname.empty() ? record.id.substr(0, 12) : c.hostname;
    std::string hosts;
    if (c.network_mode == "host") {
        auto h = sys::read_file("/etc/hosts");
        hosts = h ? *h : "127.0.0.1\tlocalhost\n";
    } else {
        hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\n"
                "ff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";
        for (const auto& h : c.extra_hosts) {
            auto colon = h.find(':');
            if (colon != std::string::npos)
                hosts += h.substr(colon + 1) + "\t" + h.substr(0, colon) + "\n";
        }
        for (const auto& e : net.hosts_entries)
            hosts += e + "\n";
    }
    TRY(sys::write_file_atomic(paths.hosts, hosts, 0644, sys::Durability::Relaxed));
    TRY(sys::write_file_atomic(paths.hostname, hostname + "\n", 0644, sys::Durability::Relaxed));
    std::string resolv;
    if (!net.nameservers.empty() || !c.dns.empty()) {
        for (const auto& ns : c.dns.empty() ? net.nameservers : c.dns)
            resolv += "nameserver " + ns + "\n";
        if (!net.search.empty()) {
            resolv += "search";
            for (const auto& s : net.search)
                resolv += " " + s;
            resolv += "\n";
        }
        if (!net.options.empty()) {
            resolv += "options";
            for (const auto& o : net.options)
                resolv += " " + o;
            resolv += "\n";
        }
    } else {
        resolv = host_resolv_conf(c.network_mode != "host");
    }
    // Rewritten at every start: nothing to keep across a crash.
    return sys::write_file_atomic(paths.resolv, resolv, 0644, sys::Durability::Relaxed);
}

Result<sys::ChildProcess> spawn_init(const InitPlan& plan, const std::function<Result<void>(pid_t)>& before_release,
                                     int* failure_exit_code)
{
    *failure_exit_code = 125;
    auto sync = TRY(sys::make_socketpair());
    unsigned long flags = CLONE_NEWNS | CLONE_NEWUTS;
    if (plan.ipc != InitPlan::Ipc::Host && plan.ipc != InitPlan::Ipc::Joined)
        flags |= CLONE_NEWIPC;
    if (plan.own_pid && plan.join_pidns.empty())
        flags |= CLONE_NEWPID;
    if (plan.own_network && plan.join_netns.empty())
        flags |= CLONE_NEWNET;
    sys::UniqueFd cgroup_dir;
    if (plan.cgroup && plan.cgroup->unified())
        cgroup_dir = TRY_CTX(plan.cgroup->dir_fd(), "join cgroup");
    // A process cannot enter another PID namespace itself, only have its next children
    // born there (setns(2) CLONE_NEWPID sets pid_for_children): the monitor points it at
    // the joined container's namespace for this one clone, then back at its own.
    sys::UniqueFd own_pidns;
    if (!plan.join_pidns.empty()) {
        own_pidns = sys::UniqueFd(::open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC));
        sys::UniqueFd target(::open(plan.join_pidns.c_str(), O_RDONLY | O_CLOEXEC));
        if (!own_pidns || !target)
            return Error::from_errno("open " + plan.join_pidns, errno);
        TRY(sys::setns(target.get(), CLONE_NEWPID, "PID namespace of the joined container"));
    }
    auto cloned = sys::clone_process(flags, cgroup_dir.get());
    if (own_pidns)
        (void)sys::setns(own_pidns.get(), CLONE_NEWPID, "own PID namespace");
    pid_t pid = TRY(std::move(cloned));
    if (pid == 0) {
        sync.read.reset();
        run_init(plan, sync.write.get());
    }
    sys::ChildProcess child(pid);
    sync.write.reset();
    // The init mounts its rootfs meanwhile (init.h); if that failed it has already written
    // why and exited, and its reason beats whatever then failed here.
    auto child_failed = [&](bool wait) -> std::optional<Error> {
        char buf[4096];
        ssize_t n;
        do {
            n = ::recv(sync.read.get(), buf, sizeof buf, wait ? 0 : MSG_DONTWAIT);
        } while (n < 0 && errno == EINTR);
        if (n < 0 && wait)
            return Error::from_errno("recv(2) sync socket", errno);
        if (n <= 0)
            return std::nullopt; // end of file: the init exec'd (or, not waiting, no word yet)
        std::string msg(buf, static_cast<size_t>(n));
        auto space = msg.find(' ');
        *failure_exit_code = std::atoi(msg.substr(0, space).c_str());
        (void)child.wait();
        return Error(*failure_exit_code == 127 ? Errc::NotFound : Errc::Sys,
                     space == std::string::npos ? msg : msg.substr(space + 1));
    };
    if (auto ready = before_release(pid); !ready) {
        if (auto why = child_failed(false))
            return *why;
        return std::move(ready).error();
    }
    if (::send(sync.read.get(), "g", 1, MSG_NOSIGNAL) != 1 && errno != EPIPE)
        return Error::from_errno("send(2) sync socket", errno);
    if (auto why = child_failed(true))
        return *why;
    return child;
}

} // namespace wharf::engine
