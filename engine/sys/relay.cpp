#include "engine/sys/relay.h"

#include "engine/sys/pty.h"

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <string_view>
#include <sys/signalfd.h>
#include <unistd.h>

namespace wharf::sys {

Result<void> relay_terminal(int master_fd, int in_fd, int out_fd, int exit_fd)
{
    char buf[16384];
    bool reading_in = in_fd >= 0;
    bool exited = false;
    // The user's terminal resized: the pty follows (SIGWINCH through a signalfd, blocked
    // meanwhile and unblocked again on the way out).
    int tty = in_fd >= 0 && ::isatty(in_fd) ? in_fd : (::isatty(out_fd) ? out_fd : -1);
    sigset_t winch, old_mask;
    sigemptyset(&winch);
    sigaddset(&winch, SIGWINCH);
    UniqueFd resize;
    if (tty >= 0 && ::sigprocmask(SIG_BLOCK, &winch, &old_mask) == 0)
        resize = UniqueFd(::signalfd(-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK));
    struct Restore {
        bool active;
        sigset_t mask;
        ~Restore()
        {
            if (active)
                ::sigprocmask(SIG_SETMASK, &mask, nullptr);
        }
    } restore {tty >= 0, old_mask};
    for (;;) {
        pollfd fds[4] = {{master_fd, POLLIN, 0}, {reading_in ? in_fd : -1, POLLIN, 0},
            {exited ? -1 : exit_fd, POLLIN, 0}, {resize ? resize.get() : -1, POLLIN, 0}};
        // Once the process exited, only what is already buffered is copied.
        int n = ::poll(fds, 4, exited ? 0 : -1);
        if (n == 0 && exited)
            return ok();
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::from_errno("poll(2)", errno);
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t got = ::read(master_fd, buf, sizeof buf);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0 && errno == EIO) // the slave side is closed: the session ended
                return ok();
            if (got < 0)
                return Error::from_errno("read(2) pty master", errno);
            if (got == 0)
                return ok();
            TRY(write_all(out_fd, std::string_view(buf, static_cast<size_t>(got))));
        }
        if (fds[3].revents & POLLIN) {
            signalfd_siginfo info {};
            while (::read(resize.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) { }
            copy_window_size(tty, master_fd);
        }
        if (fds[2].revents & POLLIN) {
            exited = true;
            reading_in = false;
        }
        if (reading_in && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t got = ::read(in_fd, buf, sizeof buf);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                reading_in = false;
                (void)write_all(master_fd, "\x04");
                continue;
            }
            TRY(write_all(master_fd, std::string_view(buf, static_cast<size_t>(got))));
        }
    }
}

} // namespace wharf::sys
