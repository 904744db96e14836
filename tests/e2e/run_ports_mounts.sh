#!/usr/bin/env bash
# `wharf run` as Docker's getting-started guides use it: -d -p HOST:80, an ephemeral -p 80
# shown by ps, -P, a taken port refused with nothing left behind, exit codes, bind mounts
# (host edits visible, :ro enforced), named volumes that outlive their container.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest

# -p HOST:CONTAINER serves the fixture's page.
port=$(free_port)
id=$(w run -d --pull never --name web -p 127.0.0.1:$port:80 $img)
expect_eq "${#id}" 64 "run -d prints the full ID"
expect_contains "$(http_get http://127.0.0.1:$port/)" "Welcome to wharf" "page on the published port"
expect_contains "$(w ps)" "127.0.0.1:$port->80/tcp" "ps PORTS column"

# The same host port again: Docker's error, exit 125, no container left half-made.
set +e
out=$(w run -d --pull never --name web2 -p 127.0.0.1:$port:80 $img 2>&1); rc=$?
set -e
expect_eq "$rc" 125 "exit code of a port conflict"
expect_contains "$out" "Bind for 127.0.0.1:$port failed: port is already allocated" "conflict message"
if w ps -a --format '{{.Names}}' | grep -qx web2; then
  # Docker keeps the created container; it must at least not be running or hold the port.
  if w ps --format '{{.Names}}' | grep -qx web2; then fail "web2 runs despite the conflict"; fi
  w rm -f web2 >/dev/null
fi

# -p 80: an ephemeral host port, reported by ps and reachable.
w run -d --pull never --name eph -p 127.0.0.1::80 $img >/dev/null
mapping=$(w ps --filter name=eph --format '{{.Ports}}')
eport=$(echo "$mapping" | sed -n 's/.*127\.0\.0\.1:\([0-9]*\)->80\/tcp.*/\1/p')
[ -n "$eport" ] || fail "no ephemeral port in '$mapping'"
expect_contains "$(http_get http://127.0.0.1:$eport/)" "Welcome to wharf" "page on the ephemeral port"

# -P publishes every EXPOSEd port (the image exposes 80/tcp) on all interfaces.
w run -d --pull never --name pall -P $img >/dev/null
pmap=$(w ps --filter name=pall --format '{{.Ports}}')
expect_contains "$pmap" "0.0.0.0:" "-P binds all IPv4 interfaces"
expect_contains "$pmap" "[::]:" "-P binds all IPv6 interfaces"
pport=$(echo "$pmap" | sed -n 's/^0\.0\.0\.0:\([0-9]*\)->80\/tcp.*/\1/p')
expect_contains "$(http_get http://127.0.0.1:$pport/)" "Welcome to wharf" "page on the -P port"

# --network container:NAME shares web's network namespace: its loopback serves web's page.
expect_contains "$(w run --rm --pull never --network container:web $img wget -qO- http://127.0.0.1/)" "Welcome to wharf" \
  "page over the shared loopback"
set +e
out=$(w run --rm --pull never --network container:web -p 80 $img true 2>&1); rc=$?
set -e
expect_eq "$rc" 125 "ports with a container network mode"
expect_contains "$out" "conflicting options: port publishing and the container type network mode" "conflict message"

w rm -f web eph pall >/dev/null

# Exit codes: the container's own, 127 for a command not in the image, 125 for a missing image.
set +e
w run --rm --pull never --network none $img sh -c 'exit 3'; rc=$?
expect_eq "$rc" 3 "attached run returns the container's exit code"
out=$(w run --rm --pull never --network none $img no-such-command 2>&1); rc=$?
expect_eq "$rc" 127 "command not found"
expect_contains "$out" "executable file not found" "message for a missing command"
out=$(w run --rm --pull never localhost/no-such-image:1 true 2>&1); rc=$?
expect_eq "$rc" 125 "missing image"
expect_contains "$out" "Unable to find image 'localhost/no-such-image:1' locally" "missing image message"
set -e

# Output and stdin of attached runs; PID 1 is the container's process; hostname isolation.
expect_eq "$(w run --rm --pull never --network none $img echo hello)" hello "attached output"
expect_eq "$(echo piped | w run --rm -i --pull never --network none $img cat)" piped "stdin with -i"
expect_eq "$(w run --rm --pull never --network none $img sh -c 'echo $$')" 1 "PID 1"
expect_eq "$(w run --rm --pull never --network none --hostname box $img hostname)" box "hostname"

# Bind mount: a host edit appears at once; :ro refuses writes.
site=$E2E_TMP/site
mkdir -p "$site"
echo "<h1>first</h1>" >"$site/index.html"
bport=$(free_port)
w run -d --pull never --name site -p 127.0.0.1:$bport:80 -v "$site:/www:ro" $img >/dev/null
expect_contains "$(http_get http://127.0.0.1:$bport/)" "first" "bind-mounted page"
echo "<h1>second</h1>" >"$site/index.html"
expect_contains "$(http_get http://127.0.0.1:$bport/)" "second" "host edit visible"
set +e
w run --rm --pull never --network none -v "$site:/www:ro" $img sh -c 'echo x > /www/new' 2>/dev/null; rc=$?
set -e
[ "$rc" -ne 0 ] || fail "write to a :ro bind succeeded"
[ ! -e "$site/new" ] || fail "the :ro bind let a file through"
w rm -f site >/dev/null

# --mount type=bind with a missing source: Docker's message.
set +e
out=$(w run --rm --pull never --network none --mount type=bind,source=$E2E_TMP/nope,target=/x $img true 2>&1); rc=$?
set -e
expect_eq "$rc" 125 "missing bind source"
expect_contains "$out" "bind source path does not exist: $E2E_TMP/nope" "missing bind source message"

# A named volume outlives its container and is filled once.
w run --rm --pull never --network none -v data:/data $img sh -c 'echo kept > /data/f'
expect_eq "$(w run --rm --pull never --network none -v data:/data $img cat /data/f)" kept "volume content persists"

check_no_leaks
echo "run_ports_mounts: ok"
