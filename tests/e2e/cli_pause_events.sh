#!/usr/bin/env bash
# pause/unpause on a real container (a counter written every 0.1 s stops, then resumes),
# what ps/inspect/exec/top show while paused, Docker's errors, stop and rm -f of a paused
# container leaving no cgroup behind, and `events` from the journal: history with
# --since/--until, --filter, --format, and a live stream.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest
cnt=$E2E_TMP/cnt
mkdir -p "$cnt"
since=$(date +%s.%N)

# Reads the counter file, retrying a torn read (the loop rewrites it).
counter() { local v; for _ in 1 2 3 4 5; do v=$(cat "$cnt/n" 2>/dev/null); [ -n "$v" ] && { echo "$v"; return; }; sleep 0.02; done; echo 0; }
cgroup_left() { ls -d /sys/fs/cgroup/*/wharf/"$1" /sys/fs/cgroup/wharf/"$1" 2>/dev/null || true; }

w run -d --pull never --network none --name ticker -v "$cnt:/cnt" $img \
  sh -c 'i=0; while true; do i=$((i+1)); echo $i > /cnt/n; sleep 0.1; done' >/dev/null
id=$(w inspect -f '{{.Id}}' ticker)
for _ in $(seq 1 50); do [ "$(counter)" -ge 3 ] && break; sleep 0.1; done
[ "$(counter)" -ge 3 ] || fail "the counter never advanced"

expect_eq "$(w pause ticker)" "ticker" "pause prints the name"
a=$(counter); sleep 0.6; b=$(counter)
expect_eq "$b" "$a" "a paused container's counter stands still"
status=$(w ps --filter name=ticker --format '{{.Status}}')
[[ "$status" =~ ^Up\ .*\ \(Paused\)$ ]] || fail "ps STATUS of a paused container: $status"
expect_eq "$(w ps --filter status=paused --format '{{.Names}} {{.State}}')" "ticker paused" "ps --filter status=paused"
expect_eq "$(w inspect -f '{{.State.Status}} {{.State.Paused}} {{.State.Running}}' ticker)" "paused true true" "inspect State"
set +e
out=$(w pause ticker 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "pause of a paused container fails"
expect_contains "$out" "Container $id is already paused" "already paused message"
set +e
out=$(w exec ticker true 2>&1); rc=$?
set -e
[ "$rc" != 0 ] || fail "exec into a paused container succeeded"
expect_contains "$out" "Container $id is paused, unpause the container before exec" "exec while paused"
expect_contains "$(w top ticker)" "sleep 0.1" "top lists a paused container's processes"

expect_eq "$(w unpause ticker)" "ticker" "unpause prints the name"
a=$(counter); sleep 0.6; b=$(counter)
[ "$b" -gt "$a" ] || fail "the counter did not resume after unpause ($a -> $b)"
set +e
out=$(w unpause ticker 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "unpause of a running container fails"
expect_contains "$out" "Container $id is not paused" "not paused message"

w create --pull never --network none --name idle $img true >/dev/null
idle=$(w inspect -f '{{.Id}}' idle)
set +e
out=$(w pause idle ticker 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "pause with one container not running"
expect_contains "$out" "Container $idle is not running" "not running message"
expect_contains "$out" "ticker" "the running one was still paused"
expect_eq "$(w inspect -f '{{.State.Status}}' ticker)" "paused" "ticker paused by the mixed call"

# stop of a paused container: the signal gets through (thawed), nothing is left frozen.
start=$(date +%s)
w stop -t 5 ticker >/dev/null || fail "stop of a paused container"
[ $(( $(date +%s) - start )) -lt 8 ] || fail "stop of a paused container took too long"
expect_eq "$(w inspect -f '{{.State.Status}}' ticker)" "exited" "stopped"
[ -z "$(cgroup_left "$id")" ] || fail "cgroup left after stopping a paused container: $(cgroup_left "$id")"
w rm ticker idle >/dev/null

w run -d --pull never --network none --name frozen $img sleep 300 >/dev/null
fid=$(w inspect -f '{{.Id}}' frozen)
w pause frozen >/dev/null
w rm -f frozen >/dev/null || fail "rm -f of a paused container"
[ -z "$(w ps -aq)" ] || fail "rm -f left the container"
[ -z "$(cgroup_left "$fid")" ] || fail "cgroup left after rm -f of a paused container"

# events: the history of ticker, in order.
until=$(date +%s.%N)
actions=$(w events --since "$since" --until "$until" --filter container=ticker --format '{{.Action}}' | tr '\n' ' ')
expect_eq "$actions" "create start pause unpause pause kill die stop destroy " "ticker's events"
line=$(w events --since "$since" --until "$until" --filter container=frozen --filter event=die)
[[ "$line" =~ ^[0-9-]{10}T[0-9:]{8}\.[0-9]{9}(Z|[+-][0-9:]{5})\ container\ die\ $fid\ \(exitCode=137,\ image=localhost/busybox:latest,\ name=frozen\)$ ]] \
  || fail "docker events line: $line"
json=$(w events --since "$since" --until "$until" --filter event=destroy --filter container=frozen --format '{{json .}}')
expect_contains "$json" "\"Type\":\"container\",\"Action\":\"destroy\",\"Actor\":{\"ID\":\"$fid\"" "events --format json"
set +e
out=$(w events --filter bogus=1 --until 0s 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "bad filter"
expect_contains "$out" "invalid filter 'bogus'" "bad filter message"

# A live stream sees a container run that starts after it.
timeout 30 "$WHARF" events --filter event=start --filter event=die --format '{{.Action}} {{.Actor.Attributes.name}}' \
  > "$E2E_TMP/live" 2>&1 &
follower=$!
sleep 0.5
w run --rm --pull never --network none --name once $img sh -c 'exit 4' || true
for _ in $(seq 1 50); do grep -q "^die once" "$E2E_TMP/live" && break; sleep 0.1; done
kill "$follower" 2>/dev/null || true
wait "$follower" 2>/dev/null || true
expect_eq "$(tr '\n' '|' < "$E2E_TMP/live")" "start once|die once|" "live events"
check_no_leaks
echo "cli_pause_events: ok"
