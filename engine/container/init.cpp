#include "engine/container/init.h"

#include "engine/container/user.h"
#include "engine/sys/copy.h"
#include "engine/sys/file.h"
#include "engine/sys/mount.h"
#include "engine/sys/namespace.h"
#include "engine/sys/pty.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace wharf::engine {

namespace {

// Docker's masked and read-only paths (engine-reference §5.1); data, so the lists can follow
// Docker's as they drift.
const char* const kMaskedPaths[] = {
    "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
    "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
    "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware"};
const char* const kReadonlyPaths[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};

const char* const kDefaultCaps[] = {"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
                                    "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE",
                                    "SYS_CHROOT", "KILL", "AUDIT_WRITE"};

struct Device {
    const char* name;
    unsigned major, minor;
};
const Device kDevices[] = {{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7},
                           {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};

Result<void> mount_in_root(int root_fd, const std::string& target, sys::PathKind kind, const std::string& source,
                           const std::string& fstype, unsigned long flags, const std::string& data)
{
    auto fd = TRY(sys::ensure_in_root(root_fd, target, kind));
    auto r = sys::mount(source, sys::fd_path(fd.get()), fstype, flags, data);
    if (!r) {
        // Name the container path, not /proc/self/fd/N.
        std::string msg = r.error().message();
        auto pos = msg.find(sys::fd_path(fd.get()));
        if (pos != std::string::npos)
            msg.replace(pos, sys::fd_path(fd.get()).size(), target);
        Error e(r.error().code(), msg);
        return e;
    }
    return ok();
}

Result<void> setup_dev(int root_fd, bool own_shm)
{
    TRY(mount_in_root(root_fd, "/dev", sys::PathKind::Directory, "tmpfs", "tmpfs",
                      MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"));
    auto dev = TRY(sys::open_in_root(root_fd, "/dev", O_DIRECTORY | O_RDONLY));
    for (const auto& d : kDevices)
        if (::mknodat(dev.get(), d.name, S_IFCHR | 0666, makedev(d.major, d.minor)) < 0)
            return Error::from_errno(std::string("mknod(2) /dev/") + d.name, errno);
    const std::pair<const char*, const char*> links[] = {
        {"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
        {"/proc/self/fd/2", "stderr"}, {"/proc/kcore", "core"}, {"pts/ptmx", "ptmx"}};
    for (const auto& [target, name] : links)
        if (::symlinkat(target, dev.get(), name) < 0)
            return Error::from_errno(std::string("symlink(2) /dev/") + name, errno);
    TRY(mount_in_root(root_fd, "/dev/pts", sys::PathKind::Directory, "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
                      "newinstance,ptmxmode=0666,mode=0620,gid=5"));
    if (own_shm)
        TRY(mount_in_root(root_fd, "/dev/shm", sys::PathKind::Directory, "shm", "tmpfs",
                          MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=67108864"));
    TRY(mount_in_root(root_fd, "/dev/mqueue", sys::PathKind::Directory, "mqueue", "mqueue",
                      MS_NOSUID | MS_NOEXEC | MS_NODEV, ""));
    return ok();
}

Result<void> setup_user_mount(int root_fd, const InitMount& m)
{
    if (m.type == MountType::Tmpfs)
        return mount_in_root(root_fd, m.target, sys::PathKind::Directory, "tmpfs", "tmpfs",
                             MS_NOSUID | MS_NODEV | MS_NOEXEC, m.data);
    struct stat st{};
    if (::stat(m.source.c_str(), &st) < 0)
        return Error::from_errno("stat " + m.source, errno);
    auto kind = S_ISDIR(st.st_mode) ? sys::PathKind::Directory : sys::PathKind::File;
    if (m.populate && sys::dir_is_empty(m.source)) {
        // Docker fills a new volume from the image's directory at the target, if there is one.
        auto existing = sys::open_in_root(root_fd, m.target, O_DIRECTORY | O_RDONLY);
        if (existing)
            TRY_CTX(sys::copy_tree(sys::fd_path(existing->get()), m.source), "fill volume from image at " + m.target);
    }
    return mount_in_root(root_fd, m.target, kind, m.source, "", MS_BIND | MS_REC, "");
}

Result<void> mask_paths()
{
    for (const char* p : kReadonlyPaths) {
        if (!sys::exists(p))
            continue;
        TRY(sys::mount(p, p, "", MS_BIND | MS_REC));
        TRY(sys::remount_bind_readonly(p));
    }
    for (const char* p : kMaskedPaths) {
        struct stat st{};
        if (::stat(p, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode))
            TRY(sys::mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0"));
        else
            TRY(sys::mount("/dev/null", p, "", MS_BIND));
    }
    return ok();
}

// PATH search in the container's environment (glibc's execvpe would use ours).
std::string find_executable(const std::string& name, const std::vector<std::string>& env, int* err)
{
    *err = 0;
    if (name.find('/') != std::string::npos) {
        if (::access(name.c_str(), X_OK) < 0)
            *err = errno;
        return name;
    }
    std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const auto& e : env)
        if (e.rfind("PATH=", 0) == 0)
            path = e.substr(5);
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find(':', start);
        std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        struct stat st{};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    *err = ENOENT;
    return {};
}

} // namespace

Result<void> become_and_exec(const std::vector<std::string>& argv_in, const std::vector<std::string>& env_in,
                             const std::string& user_spec, const std::string& cwd_in, const std::vector<int>& caps,
                             bool no_new_privs)
{
    std::string cwd = cwd_in.empty() ? "/" : cwd_in;
    ResolvedUser user;
    {
        auto passwd = sys::read_file("/etc/passwd");
        auto group = sys::read_file("/etc/group");
        user = TRY(resolve_user(user_spec, passwd ? *passwd : "", group ? *group : ""));
    }
    std::vector<std::string> env = env_in;
    if (std::none_of(env.begin(), env.end(), [](const auto& e) { return e.rfind("HOME=", 0) == 0; }))
        env.push_back("HOME=" + user.home);
    // Docker creates a missing working directory, owned by the container's user.
    struct stat st{};
    if (::stat(cwd.c_str(), &st) < 0) {
        TRY(sys::make_dirs(cwd));
        if (::chown(cwd.c_str(), user.uid, user.gid) < 0)
            return Error::from_errno("chown " + cwd, errno);
    }
    if (no_new_privs)
        TRY(sys::set_no_new_privs());
    TRY(sys::drop_bounding_except(caps));
    TRY(sys::switch_user(user.uid, user.gid, user.groups));
    // Docker gives a non-root user no effective or permitted capabilities, only the bounding set.
    TRY(sys::set_capabilities(user.uid == 0 ? caps : std::vector<int>{}));
    if (::chdir(cwd.c_str()) < 0)
        return Error::from_errno("chdir to cwd (\"" + cwd + "\") set in config.json failed", errno);
    ::umask(022);

    if (argv_in.empty())
        return Error(Errc::Invalid, "no command specified");
    int err = 0;
    std::string path = find_executable(argv_in[0], env, &err);
    if (err == ENOENT && argv_in[0].find('/') == std::string::npos)
        return Error(Errc::NotFound, "exec: \"" + argv_in[0] + "\": executable file not found in $PATH");
    if (err)
        return Error::from_errno("exec: \"" + argv_in[0] + "\"", err);
    std::vector<char*> argv, envp;
    for (const auto& a : argv_in)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    ::execve(path.c_str(), argv.data(), envp.data());
    return Error::from_errno("exec: \"" + argv_in[0] + "\"", errno);
}

namespace {

/// Whether the user mounts something at `target` themselves (then wharf does not).
bool user_has(const InitPlan& plan, const std::string& target)
{
    return std::any_of(plan.mounts.begin(), plan.mounts.end(), [&](const auto& m) { return m.target == target; });
}

/// Phase 1, run while the monitor sets up the network and writes the /etc files: stdio, the
/// namespaces to join, the rootfs and every mount that needs nothing from the monitor.
/// Returns the rootfs directory.
Result<sys::UniqueFd> prepare_root(const InitPlan& plan)
{
    // Stdio first, so even a setup failure reaches the right place.
    if (plan.stdin_fd >= 0 && ::dup2(plan.stdin_fd, 0) < 0)
        return Error::from_errno("dup2(2) stdin", errno);
    if (plan.stdout_fd >= 0 && ::dup2(plan.stdout_fd, 1) < 0)
        return Error::from_errno("dup2(2) stdout", errno);
    if (plan.stderr_fd >= 0 && ::dup2(plan.stderr_fd, 2) < 0)
        return Error::from_errno("dup2(2) stderr", errno);
    if (plan.tty) {
        ::setsid();
        if (::ioctl(0, TIOCSCTTY, 0) < 0)
            return Error::from_errno("ioctl(2) TIOCSCTTY", errno);
    }
    ::umask(0);
    if (!plan.join_netns.empty()) {
        sys::UniqueFd ns(::open(plan.join_netns.c_str(), O_RDONLY | O_CLOEXEC));
        if (!ns)
            return Error::from_errno("open " + plan.join_netns, errno);
        TRY(sys::setns(ns.get(), CLONE_NEWNET, "network of the joined container"));
    }
    if (plan.ipc == InitPlan::Ipc::Joined) {
        // Before /dev/mqueue is mounted: an mqueue mount shows the caller's IPC namespace.
        sys::UniqueFd ns(::open(plan.join_ipcns.c_str(), O_RDONLY | O_CLOEXEC));
        if (!ns)
            return Error::from_errno("open " + plan.join_ipcns, errno);
        TRY(sys::setns(ns.get(), CLONE_NEWIPC, "IPC namespace of the joined container"));
    }
    // Nothing mounted from here on may propagate back to the host.
    TRY(sys::mount("", "/", "", MS_REC | MS_PRIVATE));
    TRY(sys::mount("overlay", plan.rootfs, "overlay", 0, plan.overlay_options));
    auto root = sys::UniqueFd(::open(plan.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root)
        return Error::from_errno("open " + plan.rootfs, errno);
    int rfd = root.get();

    TRY(mount_in_root(rfd, "/proc", sys::PathKind::Directory, "proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, ""));
    if (!user_has(plan, "/dev"))
        TRY(setup_dev(rfd, plan.ipc == InitPlan::Ipc::Own));
    if (!user_has(plan, "/dev/shm") && plan.ipc == InitPlan::Ipc::Host)
        TRY(mount_in_root(rfd, "/dev/shm", sys::PathKind::Directory, "/dev/shm", "", MS_BIND | MS_REC, ""));
    if (!user_has(plan, "/dev/shm") && plan.ipc == InitPlan::Ipc::Joined) {
        // Docker shares the /dev/shm of the container whose IPC namespace is joined.
        auto tree = TRY_CTX(sys::clone_tree_from_namespace(plan.shm_mntns, "/dev/shm"), "/dev/shm of the joined container");
        auto target = TRY(sys::ensure_in_root(rfd, "/dev/shm", sys::PathKind::Directory));
        TRY(sys::attach_tree(tree.get(), target.get(), "/dev/shm"));
    }
    unsigned long sys_flags = MS_NOSUID | MS_NOEXEC | MS_NODEV | (plan.privileged ? 0 : MS_RDONLY);
    if (plan.own_network)
        TRY(mount_in_root(rfd, "/sys", sys::PathKind::Directory, "sysfs", "sysfs", sys_flags, ""));
    else
        TRY(mount_in_root(rfd, "/sys", sys::PathKind::Directory, "/sys", "", MS_BIND | MS_REC, ""));
    for (const auto& m : plan.mounts)
        TRY_CTX(setup_user_mount(rfd, m), "mount " + std::string(to_string(m.type)) + " " +
                                              (m.source.empty() ? "" : m.source + " ") + "on " + m.target);
    return root;
}

/// Phase 2, once the monitor said go: the cgroup (and a cgroup namespace rooted there),
/// the /etc files, pivot_root, and the rest up to exec.
Result<void> finish_and_exec(const InitPlan& plan, sys::UniqueFd root)
{
    int rfd = root.get();
    // Into the container's cgroup (on v2 clone3 put us there), then a cgroup namespace
    // rooted there.
    if (plan.cgroup && !plan.cgroup->unified())
        TRY_CTX(plan.cgroup->join_self(), "join cgroup");
    TRY(sys::unshare(CLONE_NEWCGROUP));
    unsigned long sys_flags = MS_NOSUID | MS_NOEXEC | MS_NODEV | (plan.privileged ? 0 : MS_RDONLY);
    if (plan.cgroup2 && !user_has(plan, "/sys/fs/cgroup"))
        TRY(mount_in_root(rfd, "/sys/fs/cgroup", sys::PathKind::Directory, "cgroup", "cgroup2",
                          sys_flags, ""));
    const std::pair<const std::string*, const char*> etc[] = {
        {&plan.hosts_file, "/etc/hosts"}, {&plan.hostname_file, "/etc/hostname"}, {&plan.resolv_file, "/etc/resolv.conf"}};
    for (const auto& [source, target] : etc)
        if (!source->empty() && !user_has(plan, target))
            TRY(mount_in_root(rfd, target, sys::PathKind::File, *source, "", MS_BIND, ""));
    root.reset();

    TRY(sys::pivot_into(plan.rootfs));

    if (plan.read_only)
        TRY(sys::mount("", "/", "", MS_REMOUNT | MS_BIND | MS_RDONLY));
    for (const auto& m : plan.mounts)
        if (m.read_only) {
            if (m.type == MountType::Tmpfs)
                TRY(sys::mount("", m.target, "", MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
            else
                TRY(sys::make_readonly_recursive(m.target));
        }
    if (plan.own_network) {
        TRY(sys::set_hostname(plan.hostname));
        if (!plan.domainname.empty() && ::setdomainname(plan.domainname.data(), plan.domainname.size()) < 0)
            return Error::from_errno("setdomainname(2)", errno);
        TRY(sys::bring_loopback_up());
        // Docker's default sysctls for a container with its own network namespace.
        // (A sysctl file takes a plain write: no temp file can be made beside it.)
        if (auto fd = sys::UniqueFd(::open("/proc/sys/net/ipv4/ip_unprivileged_port_start", O_WRONLY | O_CLOEXEC)))
            (void)sys::write_all(fd.get(), "0");
        if (auto fd = sys::UniqueFd(::open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY | O_CLOEXEC)))
            (void)sys::write_all(fd.get(), "0 2147483647");
    }
    if (!plan.privileged)
        TRY(mask_paths());

    return become_and_exec(plan.argv, plan.env, plan.user, plan.cwd, plan.capabilities,
                           plan.no_new_privs && !plan.privileged);
}

} // namespace

int start_failure_exit_code(const std::string& message)
{
    if (message.find("executable file not found") != std::string::npos ||
        message.find("No such file or directory") != std::string::npos ||
        message.find("Not a directory") != std::string::npos)
        return 127;
    if (message.find("Permission denied") != std::string::npos || message.find("Is a directory") != std::string::npos)
        return 126;
    return 128;
}

void run_init(const InitPlan& plan, int sync_fd)
{
    auto fail = [&](int code, const std::string& text) {
        std::string msg = std::to_string(code) + " " + text;
        (void)::write(sync_fd, msg.data(), msg.size());
        ::_exit(code);
    };
    // The monitor protects itself from the OOM killer; the container must not inherit that.
    if (int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC); fd >= 0) {
        (void)::write(fd, "0", 1);
        ::close(fd);
    }
    auto root = prepare_root(plan);
    if (!root)
        fail(start_failure_exit_code(root.error().summary()), root.error().summary());
    char go = 0;
    ssize_t n;
    do {
        n = ::read(sync_fd, &go, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1)
        ::_exit(1);
    auto r = finish_and_exec(plan, std::move(*root));
    std::string text = r ? std::string("exec returned") : r.error().summary();
    fail(start_failure_exit_code(text), text);
}

Result<std::vector<int>> container_capabilities(const std::vector<std::string>& add,
                                                const std::vector<std::string>& drop, bool privileged)
{
    std::vector<int> caps;
    int last = sys::last_capability();
    auto all = [&] {
        caps.clear();
        for (int c = 0; c <= last; ++c)
            caps.push_back(c);
    };
    if (privileged) {
        all();
        return caps;
    }
    for (const char* n : kDefaultCaps)
        caps.push_back(sys::capability_from_name(n));
    for (const auto& d : drop) {
        if (d == "ALL" || d == "all") {
            caps.clear();
            continue;
        }
        int c = sys::capability_from_name(d);
        if (c < 0)
            return Error(Errc::Invalid, "invalid capability: \"" + d + "\"");
        caps.erase(std::remove(caps.begin(), caps.end(), c), caps.end());
    }
    for (const auto& a : add) {
        if (a == "ALL" || a == "all") {
            all();
            continue;
        }
        int c = sys::capability_from_name(a);
        if (c < 0)
            return Error(Errc::Invalid, "invalid capability: \"" + a + "\"");
        if (std::find(caps.begin(), caps.end(), c) == caps.end())
            caps.push_back(c);
    }
    std::sort(caps.begin(), caps.end());
    return caps;
}

} // namespace wharf::engine
