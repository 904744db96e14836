#!/usr/bin/env bash
# examples/ephemeral, as "Publishing and exposing ports" walks it: `ports: ["80"]` gets a host
# port chosen by wharf, found with `compose port` and in the PORTS column of `ps`; the CLI
# forms `run -p 80` and `run -P` do the same; `down` leaves nothing behind.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/examples.sh"
load_fixture
cd "$(example_copy ephemeral)"

t0=$(now)
w compose up -d --wait >/dev/null
timing ephemeral "warm cache to ready (compose up --wait)" "$t0"
bridges=$(root_bridges)

# `compose port` prints the address; `compose ps` and `ps` show the same port.
addr=$(w compose port web 80)
port=${addr##*:}
expect_eq "${addr%:*}" "0.0.0.0" "compose port web 80 binds all interfaces"
[[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1024 ] || fail "compose port web 80: no ephemeral port in '$addr'"
expect_contains "$(w compose ps)" "0.0.0.0:$port->80/tcp" "compose ps PORTS column"
expect_contains "$(w ps)" "0.0.0.0:$port->80/tcp" "ps PORTS column"
expect_contains "$(http_get "http://127.0.0.1:$port/")" "Welcome to wharf" "page on the ephemeral port"
expect_contains "$(w compose ps)" "(healthy)" "--wait returned with the service healthy"

# The CLI forms from the guide: -p 80 (one ephemeral port) and -P (every EXPOSEd port).
# PORTS of the container named exactly $1.
ports_of() { w ps --format '{{.Names}}\t{{.Ports}}' | awk -F'\t' -v n="$1" '$1 == n { print $2 }'; }
# The host port bound on 0.0.0.0 for container port 80 in a PORTS text.
port80() { sed -n 's/^0\.0\.0\.0:\([0-9]*\)->80\/tcp.*/\1/p' <<<"$1"; }
w run -d --pull never --name eph -p 80 localhost/busybox:latest >/dev/null
eport=$(port80 "$(ports_of eph)")
[ -n "$eport" ] || fail "run -p 80: no port in '$(ports_of eph)'"
[ "$eport" != "$port" ] || fail "run -p 80 got the port the compose service holds"
expect_contains "$(http_get "http://127.0.0.1:$eport/")" "Welcome to wharf" "page on the run -p 80 port"
w run -d --pull never --name eph-all -P localhost/busybox:latest >/dev/null
aport=$(port80 "$(ports_of eph-all)")
[ -n "$aport" ] || fail "run -P: no port in '$(ports_of eph-all)'"
expect_contains "$(http_get "http://127.0.0.1:$aport/")" "Welcome to wharf" "page on the -P port"
w rm -f eph eph-all >/dev/null

w compose down >/dev/null
expect_gone "$bridges" "$port" "$eport" "$aport"
echo ok
