#pragma once
/// Pseudo-terminals and pipes for container stdio.

#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <string>
#include <termios.h>

namespace wharf::sys {

struct Pty {
    UniqueFd master;
    UniqueFd slave;
};
/// A new pty pair from /dev/ptmx; the slave is opened without becoming a controlling tty.
Result<Pty> open_pty();
/// The same from an opened ptmx of another devpts instance (a container's /dev/ptmx), so
/// the slave has a name inside that container (ttyname(3), `tty`). Takes `ptmx`.
Result<Pty> open_pty(UniqueFd ptmx);
/// Copies the window size of terminal `from` to `to` (silently nothing if `from` is no tty).
void copy_window_size(int from, int to);

/// Puts a terminal in raw mode; the old mode comes back on destruction.
class RawTerminal {
public:
    static Result<RawTerminal> enable(int fd);
    RawTerminal(RawTerminal&& o) noexcept : m_fd(o.m_fd), m_saved(o.m_saved) { o.m_fd = -1; }
    RawTerminal(const RawTerminal&) = delete;
    ~RawTerminal();

private:
    RawTerminal(int fd, termios saved) : m_fd(fd), m_saved(saved) {}
    int m_fd;
    termios m_saved;
};

struct Pipe {
    UniqueFd read;
    UniqueFd write;
};
/// pipe2(O_CLOEXEC).
Result<Pipe> make_pipe();
/// socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC).
Result<Pipe> make_socketpair();

/// write(2) until all of `data` is out (EINTR retried).
Result<void> write_all(int fd, std::string_view data);
/// Reads until EOF.
Result<std::string> read_all(int fd);

} // namespace wharf::sys
