#!/usr/bin/env bash
# Published ports through the socket redirect (engine/port/socket_redirect.h), with the real
# CLI: a host client's connect to 127.0.0.1:PORT ends up connected to the container's address
# and port 80 (getpeername; through DNAT it would be 127.0.0.1:PORT) and HTTP works (one bound
# to 127.0.0.1 first is left to DNAT, which masquerades it); with
# WHARF_SOCKET_REDIRECT=0 the peer is 127.0.0.1:PORT and DNAT serves; a client inside
# another container reaching its own 127.0.0.1:PORT is not redirected; the entry goes with
# `rm -f`, a SIGKILLed monitor's with the next command, and the program with the last entry.
# The kernel's state is read from outside wharf, by bpf(2) (tests/e2e/lib/bpf.py).
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest
bpf() { python3 "$WHARF_SOURCE_DIR/tests/e2e/lib/bpf.py" "$@"; }
scope=$(python3 "$WHARF_SOURCE_DIR/tests/e2e/lib/nft.py" --scope "$WHARF_ROOT")
# The map's entries installed by this state root, "127.0.0.1:PORT -> IP:PORT" lines.
mine() { bpf entries | awk -v s="$scope" '$5 == s { print $2, $3, $4 }'; }
# Where a TCP connection from the host to 127.0.0.1:$1 is connected to (from a socket bound to
# source address $2 first, if given), and the status line of a GET through it.
peer() {
  python3 - "$@" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(2)
if len(sys.argv) > 2:
    s.bind((sys.argv[2], 0))
s.connect(("127.0.0.1", int(sys.argv[1])))
print("%s:%d" % s.getpeername())
PY
}
get_bound() {
  python3 - "$@" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(2)
s.bind((sys.argv[2], 0))
s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
print(s.makefile("rb").readline().decode().strip())
PY
}
host_port() { w port "$1" 80/tcp | sed 's/.*://'; }
ip_of() { w inspect -f "{{.NetworkSettings.Networks.$net.IPAddress}}" "$1"; }
# The monitor installs the kernel paths just after reporting the container started.
wait_entry() {
  local i
  for i in $(seq 1 100); do
    case "$(mine)" in *"$1"*) return 0 ;; esac
    sleep 0.05
  done
  fail "no socket redirect entry '$1' after 5 s: $(bpf entries)"
}
# Once no container of any root has an entry left, the program must be gone; while another
# wharf on this host still has some, it must stay (their clients would lose the fast path).
expect_detached_unless_others() {
  if [ -n "$(bpf entries)" ]; then
    [ -n "$(bpf progs)" ] || fail "entries of another root are left but the program was detached"
    echo "run_ports_redirect: note: another wharf on this host has entries: $(bpf entries)" >&2
  else
    expect_eq "$(bpf progs)" "" "the program detached once no entry is left"
  fi
}

net=redir$$
w network create "$net" >/dev/null

# 1. Redirected: the peer is the container itself, on port 80.
id=$(w run -d --pull never --network "$net" -p 127.0.0.1::80 $img)
p=$(host_port "$id")
cip=$(ip_of "$id")
[ -n "$p" ] && [ -n "$cip" ] || fail "no host port ($p) or address ($cip) for $id"
wait_entry "127.0.0.1:$p -> $cip:80"
expect_contains "$(bpf progs)" "wharf_connect4" "the program attached to the cgroup2 root"
expect_eq "$(peer "$p")" "$cip:80" "getpeername of a host client of 127.0.0.1:$p"
expect_contains "$(http_get "http://127.0.0.1:$p/")" "Welcome to wharf" "page through the socket redirect"
# A client bound to a loopback source first is left to DNAT (the container could not answer
# 127.0.0.1), and served.
expect_eq "$(peer "$p" 127.0.0.1)" "127.0.0.1:$p" "getpeername of a client bound to 127.0.0.1"
expect_eq "$(get_bound "$p" 127.0.0.1)" "HTTP/1.1 200 OK" "GET from a client bound to 127.0.0.1"

# 2. WHARF_SOCKET_REDIRECT=0: no entry; DNAT serves, the peer is the published address.
id2=$(WHARF_SOCKET_REDIRECT=0 w run -d --pull never --network "$net" -p 127.0.0.1::80 $img)
p2=$(host_port "$id2")
expect_contains "$(http_get "http://127.0.0.1:$p2/")" "Welcome to wharf" "page with the redirect off"
sleep 0.3 # past the monitor's install, which must add nothing
case "$(bpf entries)" in *"127.0.0.1:$p2 "*) fail "WHARF_SOCKET_REDIRECT=0 still added an entry: $(bpf entries)" ;; esac
expect_eq "$(peer "$p2")" "127.0.0.1:$p2" "getpeername with the redirect off"

# 3. Inside another container, 127.0.0.1:$p is that container's own loopback: its own server
# answers, not the published container.
inside=$(w run --rm --pull never --network "$net" $img sh -c \
  "mkdir /tmp/s && echo own-loopback >/tmp/s/index.html && httpd -p 127.0.0.1:$p -h /tmp/s && wget -qO- http://127.0.0.1:$p/")
expect_eq "$inside" "own-loopback" "a container's connect to its own 127.0.0.1:$p"

# 4. rm -f takes the container's entry and only it.
id3=$(w run -d --pull never --network "$net" -p 127.0.0.1::80 $img)
p3=$(host_port "$id3")
wait_entry "127.0.0.1:$p3 -> $(ip_of "$id3"):80"
# Its start swept the map: a live container's entry, its port held by its monitor, stays.
expect_contains "$(mine)" "127.0.0.1:$p -> $cip:80" "a live container's entry after the next start's sweep"
w rm -f "$id" >/dev/null
case "$(bpf entries)" in *"127.0.0.1:$p "*) fail "entry left after rm -f: $(bpf entries)" ;; esac
expect_eq "$(mine | wc -l)" 1 "the other container's entry stays"
expect_eq "$(peer "$p3")" "$(ip_of "$id3"):80" "the other container still redirected"

# 5. A SIGKILLed monitor leaves its entry; the next command (repair) removes it.
mpid=$(pgrep -f "wharf-monitor $WHARF_ROOT $id3" | head -1)
[ -n "$mpid" ] || fail "no monitor for $id3"
kill -9 "$mpid"
case "$(mine)" in *"127.0.0.1:$p3 "*) ;; *) fail "entry gone before any command ran (test is vacuous)" ;; esac
w ps -a >/dev/null
case "$(bpf entries)" in *"127.0.0.1:$p3 "*) fail "entry left after the monitor was killed and ps ran: $(bpf entries)" ;; esac
expect_eq "$(mine)" "" "no entry of this state root left"
expect_detached_unless_others

# 6. The last container publishing ports goes: nothing of the redirect is left on the host.
for c in $(w ps -aq); do w rm -f "$c" >/dev/null; done
expect_eq "$(mine)" "" "no entry of this state root after rm"
expect_detached_unless_others
w network rm "$net" >/dev/null
check_no_leaks
echo "run_ports_redirect: ok"
