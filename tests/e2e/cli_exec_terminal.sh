#!/usr/bin/env bash
# `exec -it` on a real terminal (a pty made by the test): the session gets the terminal's
# size, follows a resize (SIGWINCH), is interactive, and exits with the shell's code.
source "$(dirname "$0")/lib/common.sh"
load_fixture
w run -d --pull never --network none --name term localhost/busybox:latest >/dev/null
out=$(python3 - "$WHARF" term <<'PY'
import os, pty, sys, time, fcntl, termios, struct, select, signal
wharf, name = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    os.execv(wharf, [wharf, "exec", "-it", name, "sh"])
def read_until(token, timeout=5):
    buf = b""
    end = time.time() + timeout
    while token not in buf and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                buf += os.read(fd, 4096)
            except OSError:
                break
    return buf
time.sleep(0.3)
os.write(fd, b"stty size; echo MARK$((0+1))\n")
a = read_until(b"MARK1\r\n")
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
os.kill(pid, signal.SIGWINCH)
time.sleep(0.3)
os.write(fd, b"stty size; echo MARK$((1+1))\n")
b = read_until(b"MARK2\r\n")
os.write(fd, b"exit 7\n")
_, status = os.waitpid(pid, 0)
print("first:", b"30 100" in a, "second:", b"40 120" in b, "exit:", os.waitstatus_to_exitcode(status))
PY
)
expect_eq "$out" "first: True second: True exit: 7" "exec -it size, resize and exit code"
w rm -f term >/dev/null
check_no_leaks
echo "cli_exec_terminal: ok"
