#!/usr/bin/env bash
# A container's life under its monitor: healthcheck transitions, restart policies, a memory
# limit that kills, logs that outlive the CLI, stop/kill signals, and a SIGKILLed monitor
# repaired by the next command. Nothing may be left afterwards.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest
run() { w run --pull never --network none "$@"; }
status() { w ps -a --format '{{.Names}}	{{.Status}}' | awk -F'\t' -v n="$1" '$1 == n { print $2 }'; }
# wait_status NAME PATTERN SECONDS
wait_status() {
  local i s
  for i in $(seq 1 $(($3 * 20))); do
    s=$(status "$1")
    case "$s" in $2) return 0 ;; esac
    sleep 0.05
  done
  fail "$1: status '$s' never matched '$2'"
}

# Healthcheck: starting -> healthy once the probe passes, -> unhealthy after `retries` failures.
run -d --name hc --health-cmd 'test -f /tmp/ok' --health-interval 200ms --health-retries 2 $img \
  sh -c 'sleep 0.6; touch /tmp/ok; sleep 1.5; rm /tmp/ok; sleep 100' >/dev/null
expect_contains "$(status hc)" "health: starting" "health before the first probe passes"
wait_status hc "*(healthy)" 5
wait_status hc "*(unhealthy)" 6
w rm -f hc >/dev/null

# Restart policy on-failure:2: three runs in all, then Exited (1).
run -d --name rs --restart on-failure:2 $img sh -c 'echo attempt; exit 1' >/dev/null
wait_status rs "Exited (1)*" 15
expect_eq "$(w logs rs | grep -c attempt)" 3 "runs under on-failure:2"
w rm rs >/dev/null

# --restart always brings a crashed process back.
run -d --name ra --restart always $img sh -c 'sleep 0.3; exit 2' >/dev/null
sleep 1.2
expect_contains "$(status ra)" "Up" "always-restarted container runs"
w rm -f ra >/dev/null

# A memory limit is enforced: the allocator is killed (137).
set +e
run --rm -m 16m $img sh -c 'x=$(head -c 64000000 /dev/zero | tr "\0" a); echo survived' >/dev/null 2>&1; rc=$?
set -e
expect_eq "$rc" 137 "exit code of a container over its memory limit"

# Logs are written by the monitor, so they are there after the CLI exited; -t and --tail.
run -d --name lg $img sh -c 'for i in 1 2 3; do echo line$i; done; echo err >&2; sleep 100' >/dev/null
sleep 0.5
expect_eq "$(w logs --tail 2 lg 2>&1 | sort | tr '\n' ' ')" "err line3 " "logs --tail 2"
expect_contains "$(w logs -t lg 2>/dev/null | head -1)" "Z line1" "logs -t timestamps"

# stop: a PID 1 without a SIGTERM handler is not waited for; -t bounds one whose handler does not exit.
t0=$(date +%s%N)
w stop lg >/dev/null
t1=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -lt 3000 ] || fail "stop of a handler-less PID 1 took $(((t1 - t0) / 1000000)) ms"
expect_contains "$(status lg)" "Exited (137)" "stopped status"
run -d --name ig $img sh -c 'trap "echo got-term" TERM; while true; do sleep 0.1; done' >/dev/null
sleep 0.3
t0=$(date +%s%N)
w stop -t 1 ig >/dev/null
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
[ $ms -ge 900 ] && [ $ms -lt 4000 ] || fail "stop -t 1 took $ms ms"
w start ig >/dev/null
expect_contains "$(status ig)" "Up" "start of a stopped container"
w kill -s SIGKILL ig >/dev/null
wait_status ig "Exited (137)*" 5

# A SIGKILLed monitor: the next command finds out and records the container as exited.
run -d --name mk $img sleep 100 >/dev/null
mpid=$(pgrep -f "wharf-monitor $WHARF_ROOT $(w ps -q --no-trunc --filter name=mk)")
[ -n "$mpid" ] || fail "no monitor process for mk"
kill -9 "$mpid"
sleep 0.2
expect_contains "$(status mk)" "Exited (137)" "status after the monitor was killed"

# --init puts tini in front as PID 1 and passes the exit code through; --privileged gets
# every capability this host has (it lacks CAP_SYS_RESOURCE: that must not fail the start).
expect_eq "$(run --rm --init $img sh -c 'cat /proc/1/cmdline | tr "\0" " "')" "/sbin/docker-init -- sh -c cat /proc/1/cmdline | tr \"\\0\" \" \" " "PID 1 under --init"
set +e
run --rm --init $img sh -c 'exit 5'; rc=$?
set -e
expect_eq "$rc" 5 "exit code through --init"
caps=$(run --rm --privileged $img sh -c 'grep CapEff /proc/self/status')
[ "$caps" != "$(run --rm $img sh -c 'grep CapEff /proc/self/status')" ] || fail "--privileged did not widen capabilities"

# Docker's default sysctls: a non-root process may bind port 80 in its own network namespace.
expect_eq "$(run --rm -u 33 $img sh -c 'httpd -p 80 -h /www && echo bound')" bound "non-root bind of port 80"

w rm -f lg ig mk >/dev/null
check_no_leaks
if pgrep -f "sleep 100" >/dev/null && pgrep -af "sleep 100" | grep -qv pgrep; then
  for p in $(pgrep -f "sleep 100"); do
    [ "$(readlink /proc/$p/root 2>/dev/null)" = / ] || fail "container process $p left running"
  done
fi
echo "run_lifecycle: ok"
