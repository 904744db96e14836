#include "engine/sys/namespace.h"

#include "engine/sys/fd.h"
#include "engine/sys/file.h"

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace wharf::sys {

Result<void> unshare(int flags)
{
    if (::unshare(flags) < 0)
        return Error::from_errno("unshare(2)", errno);
    return ok();
}

Result<void> setns(int fd, int nstype, const std::string& what)
{
    if (::setns(fd, nstype) < 0)
        return Error::from_errno("setns(2) " + what, errno);
    return ok();
}

Result<void> set_hostname(const std::string& name)
{
    if (::sethostname(name.data(), name.size()) < 0)
        return Error::from_errno("sethostname(2) " + name, errno);
    return ok();
}

Result<void> bring_loopback_up()
{
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!s)
        return Error::from_errno("socket(2) AF_INET", errno);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(s.get(), SIOCGIFFLAGS, &ifr) < 0)
        return Error::from_errno("ioctl(2) SIOCGIFFLAGS lo", errno);
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
    if (::ioctl(s.get(), SIOCSIFFLAGS, &ifr) < 0)
        return Error::from_errno("ioctl(2) SIOCSIFFLAGS lo", errno);
    return ok();
}

namespace {
const char* const kCapNames[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
    "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
    "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
    "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
    "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};
} // namespace

int capability_from_name(const std::string& name)
{
    std::string n = name;
    for (auto& c : n)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (n.rfind("CAP_", 0) == 0)
        n = n.substr(4);
    for (int i = 0; i < static_cast<int>(std::size(kCapNames)); ++i)
        if (n == kCapNames[i])
            return i;
    return -1;
}

int last_capability()
{
    auto s = read_file("/proc/sys/kernel/cap_last_cap");
    return s ? std::atoi(s->c_str()) : CAP_LAST_CAP;
}

Result<void> drop_bounding_except(const std::vector<int>& keep)
{
    int last = last_capability();
    for (int cap = 0; cap <= last; ++cap) {
        bool kept = false;
        for (int k : keep)
            kept |= k == cap;
        if (!kept && ::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
            return Error::from_errno("prctl(2) PR_CAPBSET_DROP " + std::to_string(cap), errno);
    }
    return ok();
}

Result<void> set_capabilities(const std::vector<int>& caps)
{
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    // A capability this process lacks cannot be granted (capset fails with EPERM): a host
    // without CAP_SYS_RESOURCE, say, gives --privileged containers everything else.
    __user_cap_data_struct have[2]{};
    if (::syscall(SYS_capget, &hdr, have) < 0)
        return Error::from_errno("capget(2)", errno);
    __user_cap_data_struct data[2]{};
    for (int c : caps) {
        if (!(have[c / 32].permitted & (1u << (c % 32))))
            continue;
        data[c / 32].effective |= 1u << (c % 32);
        data[c / 32].permitted |= 1u << (c % 32);
        data[c / 32].inheritable |= 1u << (c % 32);
    }
    if (::syscall(SYS_capset, &hdr, data) < 0)
        return Error::from_errno("capset(2)", errno);
    return ok();
}

Result<void> set_no_new_privs()
{
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return Error::from_errno("prctl(2) PR_SET_NO_NEW_PRIVS", errno);
    return ok();
}

Result<void> switch_user(uid_t uid, gid_t gid, const std::vector<gid_t>& groups)
{
    if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        return Error::from_errno("prctl(2) PR_SET_KEEPCAPS", errno);
    if (::setgroups(groups.size(), groups.data()) < 0)
        return Error::from_errno("setgroups(2)", errno);
    if (::setresgid(gid, gid, gid) < 0)
        return Error::from_errno("setresgid(2) " + std::to_string(gid), errno);
    if (::setresuid(uid, uid, uid) < 0)
        return Error::from_errno("setresuid(2) " + std::to_string(uid), errno);
    return ok();
}

void raise_nofile_limit(unsigned long want)
{
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return;
    rlimit next = rl;
    next.rlim_cur = std::max<rlim_t>(rl.rlim_cur, std::min<rlim_t>(want, rl.rlim_max));
    // Without CAP_SYS_RESOURCE the hard limit cannot go up: keep what we have.
    (void)::setrlimit(RLIMIT_NOFILE, &next);
}

} // namespace wharf::sys
