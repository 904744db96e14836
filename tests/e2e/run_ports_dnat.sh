#!/usr/bin/env bash
# Published ports through the kernel DNAT fast path (engine/port/port_dnat.h), with the real
# CLI: the rule is in table ip wharf and its counter counts the connections (they never reach
# the monitor's listener); a host-IP binding is not reachable on another loopback address;
# the default binding serves every local IPv4 address, and [::1] through the proxy;
# WHARF_USERLAND_PROXY=1 forwards by the proxy alone; the rules go with `rm -f`, with a
# SIGKILLed monitor at the next command, and the bridge's guard with `network rm`.
source "$(dirname "$0")/lib/common.sh"
# The rules' counters are the evidence here; the socket redirect in front of them (tested by
# run_ports_redirect.sh) would take the loopback TCP connections before any packet is counted.
export WHARF_SOCKET_REDIRECT=0
load_fixture
img=localhost/busybox:latest
nft() { python3 "$WHARF_SOURCE_DIR/tests/e2e/lib/nft.py" "$@"; }
scope=$(nft --scope "$WHARF_ROOT")
table() { nft 'add table ip wharf
list table ip wharf'; }
# packets COUNTED by the DNAT rule of container $1 for "$2" (e.g. "ip daddr 127.0.0.1 tcp dport 8080")
packets() {
  table | awk -v chain="w$scope-$1-out" -v m="$2 counter packets" '
    $1 == "chain" { inside = ($2 == chain) }
    inside && index($0, m) { sub(/.*counter packets /, ""); print $1 + 0; found = 1 }
    END { if (!found) print -1 }'
}
mine() { table | grep -c "chain w$scope-" || true; }
# The monitor installs a container's rules just after reporting it started (the proxy serves
# until then): wait for container $1's chain.
wait_dnat() {
  local i
  for i in $(seq 1 100); do
    case "$(table)" in *"chain w$scope-$1-out "*) return 0 ;; esac
    sleep 0.05
  done
  fail "no DNAT chain for $1 after 5 s: $(table)"
}

net=dnat$$
w network create "$net" >/dev/null
bridge=$(w network inspect "$net" --format '{{.Id}}' | cut -c1-12); bridge=wh-$bridge

# A host-IP binding: served through the rule, not on another loopback address.
p=$(free_port)
id=$(w run -d --pull never --network "$net" -p 127.0.0.1:$p:80 $img)
wait_dnat "$id"
expect_contains "$(http_get http://127.0.0.1:$p/)" "Welcome to wharf" "page through kernel DNAT"
expect_contains "$(table)" "ip daddr 127.0.0.1 tcp dport $p counter" "the DNAT rule in table ip wharf"
n=$(packets "$id" "ip daddr 127.0.0.1 tcp dport $p")
[ "$n" -ge 1 ] || fail "the DNAT rule counted no connection ($n): $(table)"
for i in 1 2 3; do curl -fsS -o /dev/null http://127.0.0.1:$p/; done
expect_eq "$(packets "$id" "ip daddr 127.0.0.1 tcp dport $p")" $((n + 3)) "one counted packet per new connection"
if curl -fsS --max-time 2 -o /dev/null http://127.0.0.2:$p/ 2>/dev/null; then
  fail "127.0.0.1:$p:80 answered on 127.0.0.2"
fi
expect_contains "$(table)" "chain guard-$bridge {" "the loopback guard of the bridge"
expect_eq "$(cat /proc/sys/net/ipv4/conf/$bridge/route_localnet)" 1 "route_localnet on the bridge"

# The default binding: every local IPv4 address by DNAT, IPv6 by the monitor's proxy.
q=$(free_port)
id2=$(w run -d --pull never --network "$net" -p $q:80 $img)
wait_dnat "$id2"
expect_contains "$(http_get http://127.0.0.2:$q/)" "Welcome to wharf" "0.0.0.0 binding on 127.0.0.2"
expect_eq "$(packets "$id2" "fib daddr type local tcp dport $q")" 1 "fib daddr type local rule counted it"
if [ -e /proc/net/if_inet6 ] && ip -6 addr show lo | grep -q '::1'; then
  expect_contains "$(http_get "http://[::1]:$q/")" "Welcome to wharf" "[::] binding through the proxy"
  expect_eq "$(packets "$id2" "fib daddr type local tcp dport $q")" 1 "IPv6 is not DNATed"
fi

# The proxy alone when asked for.
r=$(free_port)
id3=$(WHARF_USERLAND_PROXY=1 w run -d --pull never --network "$net" -p 127.0.0.1:$r:80 $img)
expect_contains "$(http_get http://127.0.0.1:$r/)" "Welcome to wharf" "page through the userland proxy"
case "$(table)" in *"$id3"*) fail "WHARF_USERLAND_PROXY=1 still installed DNAT rules" ;; esac

# rm -f removes the container's chains and only those.
expect_eq "$(mine)" 4 "two containers' chains (-out, -post each)"
w rm -f "$id" >/dev/null
case "$(table)" in *"$id"*) fail "rules left after rm -f: $(table)" ;; esac
expect_eq "$(mine)" 2 "the other container's chains stay"
expect_contains "$(http_get http://127.0.0.1:$q/)" "Welcome to wharf" "the other container still served"

# A SIGKILLed monitor leaves its rules; the next command (repair) removes them.
mpid=$(pgrep -f "wharf-monitor $WHARF_ROOT $id2" | head -1)
[ -n "$mpid" ] || fail "no monitor for $id2"
kill -9 "$mpid"
case "$(table)" in *"$id2"*) ;; *) fail "rules gone before any command ran (test is vacuous)" ;; esac
w ps -a >/dev/null
case "$(table)" in *"$id2"*) fail "rules left after the monitor was killed and ps ran: $(table)" ;; esac
expect_eq "$(mine)" 0 "no chains of this state root left"

for c in $(w ps -aq); do w rm -f "$c" >/dev/null; done
w network rm "$net" >/dev/null
case "$(table)" in *"guard-$bridge "*) fail "the bridge's guard outlived network rm" ;; esac
check_no_leaks
echo "run_ports_dnat: ok"
