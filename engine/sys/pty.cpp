#include "engine/sys/pty.h"

#include <cerrno>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wharf::sys {

Result<Pty> open_pty()
{
    UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master)
        return Error::from_errno("posix_openpt(3)", errno);
    return open_pty(std::move(master));
}

Result<Pty> open_pty(UniqueFd master)
{
    if (::grantpt(master.get()) < 0 || ::unlockpt(master.get()) < 0)
        return Error::from_errno("unlockpt(3)", errno);
    int slave = ::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        return Error::from_errno("ioctl(2) TIOCGPTPEER", errno);
    return Pty{std::move(master), UniqueFd(slave)};
}

void copy_window_size(int from, int to)
{
    winsize ws{};
    if (::ioctl(from, TIOCGWINSZ, &ws) == 0)
        ::ioctl(to, TIOCSWINSZ, &ws);
}

Result<RawTerminal> RawTerminal::enable(int fd)
{
    termios saved{};
    if (::tcgetattr(fd, &saved) < 0)
        return Error::from_errno("tcgetattr(3)", errno);
    termios raw = saved;
    ::cfmakeraw(&raw);
    if (::tcsetattr(fd, TCSANOW, &raw) < 0)
        return Error::from_errno("tcsetattr(3)", errno);
    return RawTerminal(fd, saved);
}

RawTerminal::~RawTerminal()
{
    if (m_fd >= 0)
        ::tcsetattr(m_fd, TCSANOW, &m_saved);
}

Result<Pipe> make_pipe()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0)
        return Error::from_errno("pipe2(2)", errno);
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Result<Pipe> make_socketpair()
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
        return Error::from_errno("socketpair(2)", errno);
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Result<void> write_all(int fd, std::string_view data)
{
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::from_errno("write(2)", errno);
        data.remove_prefix(static_cast<size_t>(n));
    }
    return ok();
}

Result<std::string> read_all(int fd)
{
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::from_errno("read(2)", errno);
        if (n == 0)
            return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

} // namespace wharf::sys
