#pragma once
/// The container's init process, between clone and exec.
///
/// The monitor builds an InitPlan (every path, option string and argument computed up front),
/// clones, and the child runs run_init(): it waits for the monitor's "go" on the sync socket,
/// then sets the container up in the order crun/runc use (engine-reference §5.3):
/// private mount propagation → overlay rootfs → /proc, /dev (+nodes, symlinks, pts, shm,
/// mqueue), /sys ro → user mounts (binds, volumes filled on first use, tmpfs) → hosts,
/// hostname, resolv.conf → pivot_root → read-only rootfs and binds → hostname → loopback,
/// sysctls → read-only and masked paths → no_new_privs → user/groups → capabilities → cwd →
/// execve. Any failure is sent to the monitor as "<exit code> <message>" on the sync
/// socket and the child _exits; a successful execve closes the socket (CLOEXEC), which the
/// monitor reads as success. The child never returns.

#include "engine/api/mount.h"
#include "engine/sys/cgroup.h"

#include <optional>
#include <string>
#include <vector>

namespace wharf::engine {

struct InitMount {
    MountType type = MountType::Bind;
    std::string source;  ///< host path (volumes: the volume's _data dir)
    std::string target;  ///< absolute path inside the container
    bool read_only = false;
    bool populate = false;   ///< volume: copy the image's content at target when the volume is empty
    std::string data;        ///< tmpfs options ("size=…,mode=…")
};

struct InitPlan {
    std::string rootfs;           ///< the overlay mount point (merged dir)
    std::string overlay_options;  ///< "lowerdir=…,upperdir=…,workdir=…"
    std::vector<InitMount> mounts; ///< user mounts, sorted parents first
    std::string hosts_file, hostname_file, resolv_file; ///< host paths bound onto /etc/…
    std::string hostname, domainname;
    bool read_only = false;
    bool privileged = false;
    bool tty = false;
    bool own_network = true;      ///< false for --network host: leave the net setup alone
    /// `--network container:X`: the init joins this network namespace ("/proc/<pid>/ns/net")
    /// instead of getting a new one.
    std::string join_netns;
    /// `--ipc`: Own (a new namespace, its own /dev/shm), Host (no new namespace, the host's
    /// /dev/shm), Joined (`container:X`: setns to `join_ipcns` and X's /dev/shm, cloned from
    /// X's mount namespace `shm_mntns`), None (a new namespace and no /dev/shm).
    enum class Ipc { Own, Host, Joined, None } ipc = Ipc::Own;
    std::string join_ipcns, shm_mntns; ///< "/proc/<pid>/ns/ipc", "/proc/<pid>/ns/mnt"
    /// `--pid`: "" a new PID namespace; `host`: none (own_pid false); `container:X`: the
    /// monitor clones the init into X's namespace ("/proc/<pid>/ns/pid", see spawn_init).
    bool own_pid = true;
    std::string join_pidns;
    bool cgroup2 = false;         ///< mount cgroup2 at /sys/fs/cgroup (v2 hosts)
    /// The container's cgroup. On v2 the init is cloned into it; on v1 it moves itself in
    /// (Cgroup::join_self, the fast way) before making its cgroup namespace.
    std::optional<sys::Cgroup> cgroup;
    std::vector<std::string> argv;
    std::vector<std::string> env;
    std::string cwd = "/";
    std::string user;             ///< --user spec, resolved inside the rootfs
    std::vector<int> capabilities;
    bool no_new_privs = true;
    int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1; ///< become 0, 1, 2
};

/// Runs in the cloned child. Never returns. First it mounts the rootfs and the container's
/// mounts, while the monitor sets up the network and /etc files; then it waits for
/// the monitor's go byte on `sync_fd`, joins the cgroup, binds the /etc files, pivots and
/// execs. A failure at any step is written to `sync_fd` as "<exit code> <message>".
[[noreturn]] void run_init(const InitPlan& plan, int sync_fd);

/// Docker's 14 default capabilities adjusted by --cap-add/--cap-drop ("ALL" allowed).
Result<std::vector<int>> container_capabilities(const std::vector<std::string>& add,
                                                const std::vector<std::string>& drop, bool privileged);

/// The last steps of any process entering a container (init and exec): resolve the user in
/// the container's /etc/passwd, set HOME, create the working directory, no_new_privs, drop
/// capabilities, switch user, chdir, PATH lookup, execve. Returns only on failure.
Result<void> become_and_exec(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                             const std::string& user, const std::string& cwd, const std::vector<int>& caps,
                             bool no_new_privs);

/// Docker's start-failure exit code for an init error text (126, 127 or 128).
int start_failure_exit_code(const std::string& message);

} // namespace wharf::engine
