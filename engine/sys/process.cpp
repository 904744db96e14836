#include "engine/sys/process.h"

#include "engine/sys/file.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <linux/sched.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace wharf::sys {

Result<pid_t> clone_process(unsigned long ns_flags, int cgroup_fd)
{
    clone_args args{};
    args.flags = ns_flags;
    args.exit_signal = SIGCHLD;
    if (cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = static_cast<uint64_t>(cgroup_fd);
    }
    long r = ::syscall(SYS_clone3, &args, sizeof args);
    if (r < 0)
        return Error::from_errno("clone3(2)", errno);
    return static_cast<pid_t>(r);
}

Result<UniqueFd> pidfd_open(pid_t pid)
{
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0)
        return Error::from_errno("pidfd_open(2) " + std::to_string(pid), errno);
    return UniqueFd(fd);
}

Result<void> pidfd_kill(int pidfd, int sig)
{
    if (::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) < 0)
        return Error::from_errno("pidfd_send_signal(2) " + std::string(strsignal(sig)), errno);
    return ok();
}

Result<bool> pidfd_wait_exit(int pidfd, int timeout_ms)
{
    pollfd p{pidfd, POLLIN, 0};
    for (;;) {
        int r = ::poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return Error::from_errno("poll(2) pidfd", errno);
        return r > 0;
    }
}

Result<pid_t> wait_pid(pid_t pid, int* status, int options)
{
    for (;;) {
        pid_t r = ::waitpid(pid, status, options);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return Error::from_errno("waitpid(2) " + std::to_string(pid), errno);
        return r;
    }
}

int exit_code_from_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept
{
    if (this != &o) {
        this->~ChildProcess();
        m_pid = o.release();
    }
    return *this;
}

ChildProcess::~ChildProcess()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        int st;
        (void)wait_pid(m_pid, &st, 0);
    }
}

Result<int> ChildProcess::wait()
{
    int st = 0;
    TRY(wait_pid(m_pid, &st, 0));
    m_pid = -1;
    return exit_code_from_status(st);
}

pid_t ChildProcess::release() { return std::exchange(m_pid, -1); }

unsigned long long process_start_time(pid_t pid)
{
    auto stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat)
        return 0;
    // The command name (field 2) may contain spaces and parentheses: skip to the last ')'.
    auto close = stat->rfind(')');
    if (close == std::string::npos)
        return 0;
    const char* p = stat->c_str() + close + 2;
    // Fields from 3 on; start time is field 22.
    for (int field = 3; field < 22 && *p; ++field) {
        p = std::strchr(p, ' ');
        if (!p)
            return 0;
        ++p;
    }
    return std::strtoull(p, nullptr, 10);
}

bool process_alive(pid_t pid, unsigned long long start_time)
{
    if (pid <= 0)
        return false;
    auto now = process_start_time(pid);
    if (now == 0)
        return false;
    if (start_time != 0 && now != start_time)
        return false;
    // A zombie is not running anymore.
    auto stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat)
        return false;
    auto close = stat->rfind(')');
    return close != std::string::npos && close + 2 < stat->size() && (*stat)[close + 2] != 'Z';
}

bool process_catches_signal(pid_t pid, int sig)
{
    auto status = read_file("/proc/" + std::to_string(pid) + "/status");
    if (!status)
        return false;
    auto pos = status->find("SigCgt:");
    if (pos == std::string::npos)
        return false;
    unsigned long long mask = std::strtoull(status->c_str() + pos + 7, nullptr, 16);
    return (mask >> (sig - 1)) & 1ULL;
}

int signal_from_name(const std::string& name)
{
    if (name.empty())
        return -1;
    if (std::isdigit(static_cast<unsigned char>(name[0]))) {
        int n = std::atoi(name.c_str());
        return n > 0 && n < NSIG ? n : -1;
    }
    std::string n = name;
    for (auto& c : n)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (n.rfind("SIG", 0) == 0)
        n = n.substr(3);
    for (int s = 1; s < NSIG; ++s) {
        const char* abbrev = sigabbrev_np(s);
        if (abbrev && n == abbrev)
            return s;
    }
    if (n.rfind("RTMIN+", 0) == 0)
        return SIGRTMIN + std::atoi(n.c_str() + 6);
    return -1;
}

} // namespace wharf::sys
