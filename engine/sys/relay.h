#pragma once
/// relay_terminal: the client side of a pty session (`exec -t`): copies `in_fd` (the user's
/// stdin; -1 = none) to the pty master and the master's output to `out_fd`, until the
/// master reports the slave side closed (EIO/EOF: every process holding it exited). EOF on
/// `in_fd` sends the terminal's EOF character (^D) once and stops reading it. With `exit_fd`
/// (a pidfd of the session's process), its exit ends the relay too once the output is
/// drained, so a background process still holding the pty does not keep the client waiting.
/// When either side is a terminal, its window size follows to the pty on SIGWINCH.
/// Single-threaded, blocking; EINTR is retried.

#include "engine/base/result.h"

namespace wharf::sys {

Result<void> relay_terminal(int master_fd, int in_fd, int out_fd, int exit_fd = -1);

} // namespace wharf::sys
