// See run_program.h.
#include "engine/sys/run_program.h"

#include "engine/sys/process.h"
#include "engine/sys/pty.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <memory>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace wharf::sys {

Result<ProgramOutput> run_program(
    const std::vector<std::string>& argv, std::string_view input, std::chrono::milliseconds timeout)
{
    if (argv.empty())
        return Error(Errc::Internal, "run_program: empty argv");
    const std::string& name = argv[0];
    auto in = TRY(make_pipe());
    auto out = TRY(make_pipe());
    auto err = TRY(make_pipe());
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    std::unique_ptr<posix_spawn_file_actions_t, int (*)(posix_spawn_file_actions_t*)> free_actions(
        &actions, posix_spawn_file_actions_destroy);
    // dup2 clears O_CLOEXEC on the targets; every other fd of ours is close-on-exec.
    posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
    posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    // Its own process group, so that a timeout also ends what a helper script started.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    std::unique_ptr<posix_spawnattr_t, int (*)(posix_spawnattr_t*)> free_attr(&attr, posix_spawnattr_destroy);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = -1;
    if (int rc = ::posix_spawnp(&pid, name.c_str(), &actions, &attr, args.data(), environ); rc != 0)
        return Error::from_errno("exec " + name, rc);
    ChildProcess child(pid); // killed and reaped on every early return
    struct GroupKiller {
        pid_t group;
        ~GroupKiller()
        {
            if (group > 0)
                ::kill(-group, SIGKILL); // the helper's own group; ESRCH once all are gone
        }
    } group_killer {pid};
    in.read.reset();
    out.write.reset();
    err.write.reset();

    // The input is a few hundred bytes, well under a pipe's buffer; a helper that exits
    // without reading it gives EPIPE, which is its business (its exit status tells).
    struct sigaction ignore {
    }, old {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old);
    auto wrote = write_all(in.write.get(), input);
    ::sigaction(SIGPIPE, &old, nullptr);
    if (!wrote && wrote.error().sys_errno() != EPIPE)
        return std::move(wrote).error().context(name);
    in.write.reset();

    ProgramOutput result;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    pollfd fds[2] = {{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_fds = 2;
    while (open_fds > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return Error(
                Errc::Interrupted, name + ": timed out after " + std::to_string(timeout.count()) + " ms");
        int n = ::poll(fds, 2, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::from_errno("poll(2) " + name, errno);
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                fds[i].fd = -1;
                --open_fds;
            } else {
                sinks[i]->append(buf, static_cast<size_t>(r));
            }
        }
    }
    // Both pipes at EOF: the helper has exited or is about to; the deadline still holds.
    auto pidfd = TRY(pidfd_open(child.pid()));
    auto left
        = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (!TRY(pidfd_wait_exit(pidfd.get(), static_cast<int>(std::max<long>(left.count(), 0)))))
        return Error(
            Errc::Interrupted, name + ": timed out after " + std::to_string(timeout.count()) + " ms");
    result.exit_code = TRY(child.wait());
    group_killer.group = -1; // exited; its pid (the group id) may be reused from now on
    return result;
}

} // namespace wharf::sys
