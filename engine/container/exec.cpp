#include "engine/container/exec.h"

#include "engine/container/init.h"
#include "engine/container/runtime.h"
#include "engine/sys/cgroup.h"
#include "engine/sys/namespace.h"
#include "engine/sys/pty.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/prctl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace wharf::engine {

namespace {
[[noreturn]] void fail(int fd, int code, const std::string& text)
{
    std::string msg = std::to_string(code) + " " + text;
    (void)::write(fd, msg.data(), msg.size());
    ::_exit(code);
}

std::vector<std::string> merge_env(std::vector<std::string> base, const std::vector<std::string>& extra)
{
    for (const auto& e : extra) {
        std::string key = e.substr(0, e.find('='));
        bool replaced = false;
        for (auto& b : base)
            if (b.substr(0, b.find('=')) == key) {
                b = e;
                replaced = true;
            }
        if (!replaced)
            base.push_back(e);
    }
    return base;
}
} // namespace

Result<sys::ChildProcess> exec_in_container(const ContainerStore& store, const ContainerRecord& record,
                                            const ExecSpec& spec, int* failure_exit_code)
{
    (void)store;
    *failure_exit_code = 126;
    const auto& c = record.config;
    if (record.state.status == ContainerStatus::Paused)
        return Error(Errc::Conflict, "Container " + record.id + " is paused, unpause the container before exec");
    if (record.state.status != ContainerStatus::Running || !sys::process_alive(record.state.pid, record.state.pid_start_time))
        return Error(Errc::Conflict, "container " + record.id + " is not running");
    auto pidfd = TRY(sys::pidfd_open(record.state.pid));
    auto caps = TRY(container_capabilities(c.cap_add, c.cap_drop, c.privileged || spec.privileged));
    std::vector<std::string> env = merge_env(c.env, spec.env);
    if (spec.tty && std::none_of(env.begin(), env.end(), [](const auto& e) { return e.rfind("TERM=", 0) == 0; }))
        env.push_back("TERM=xterm");
    std::string user = spec.user.empty() ? c.user : spec.user;
    std::string cwd = spec.working_dir.empty() ? (c.working_dir.empty() ? "/" : c.working_dir) : spec.working_dir;
    auto cgroup = sys::Cgroup::open(cgroup_name(record.id));
    auto report = TRY(sys::make_pipe());

    pid_t helper = ::fork();
    if (helper < 0)
        return Error::from_errno("fork(2)", errno);
    if (helper == 0) {
        report.read.reset();
        int rfd = report.write.get();
        if (auto r = cgroup.join_self(); !r)
            fail(rfd, 126, r.error().summary());
        int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWCGROUP;
        if (c.network_mode != "host")
            flags |= CLONE_NEWNET;
        if (auto r = sys::setns(pidfd.get(), flags, "container " + record.id.substr(0, 12)); !r)
            fail(rfd, 126, r.error().summary());
        pid_t child = ::fork();
        if (child < 0)
            fail(rfd, 126, "fork(2): " + std::string(strerror(errno)));
        if (child == 0) {
            // A probe whose helper is killed (timeout) must not live on.
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (spec.stdin_fd >= 0)
                ::dup2(spec.stdin_fd, 0);
            if (spec.stdout_fd >= 0)
                ::dup2(spec.stdout_fd, 1);
            if (spec.stderr_fd >= 0)
                ::dup2(spec.stderr_fd, 2);
            if (spec.tty) {
                ::setsid();
                ::ioctl(0, TIOCSCTTY, 0);
            }
            auto r = become_and_exec(spec.argv, env, user, cwd, caps, !(c.privileged || spec.privileged));
            std::string text = r.error().summary();
            fail(rfd, start_failure_exit_code(text), text);
        }
        report.write.reset();
        int status = 0;
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        ::_exit(sys::exit_code_from_status(status));
    }
    sys::ChildProcess proc(helper);
    report.write.reset();
    auto msg = TRY(sys::read_all(report.read.get()));
    if (!msg.empty()) {
        auto space = msg.find(' ');
        *failure_exit_code = std::atoi(msg.substr(0, space).c_str());
        (void)proc.wait();
        return Error(*failure_exit_code == 127 ? Errc::NotFound : Errc::Sys, msg.substr(space + 1));
    }
    return proc;
}

} // namespace wharf::engine
