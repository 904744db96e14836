#!/usr/bin/env bash
# The container verbs around a running container: exec (exit codes, 126/127, -e -w -u -i,
# -t with a pty named inside the container, -d), top, port, inspect (generic and --type,
# -f), cp both ways (running and stopped) with symlinks confined to the container, wait, rename.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest
w run -d --pull never --name box -p 127.0.0.1::80 $img >/dev/null

# exec: output, the command's exit code, Docker's 126/127.
expect_eq "$(w exec box echo hello)" "hello" "exec output"
set +e
w exec box sh -c 'exit 3'; rc=$?
out=$(w exec box nope 2>&1); rc127=$?
out126=$(w exec box /www/index.html 2>&1); rc126=$?
set -e
expect_eq "$rc" 3 "exec exit code"
expect_eq "$rc127" 127 "exec of a missing command"
expect_contains "$out" 'executable file not found in $PATH' "missing command message"
expect_eq "$rc126" 126 "exec of a non-executable file"
expect_eq "$(w exec -e GREETING=hi -w /www box sh -c 'echo $GREETING $(pwd)')" "hi /www" "exec -e -w"
expect_eq "$(w exec -u 1234:5678 box sh -c 'echo $(id -u):$(id -g)')" "1234:5678" "exec -u"
expect_eq "$(echo piped | w exec -i box cat)" "piped" "exec -i stdin"
expect_eq "$(w exec box cat </dev/null)" "" "no stdin without -i"
tty_out=$(w exec -t box tty | tr -d '\r')
[[ "$tty_out" =~ ^/dev/pts/[0-9]+$ ]] || fail "exec -t: the pty has a name inside the container: $tty_out"
# The session ends with its process, even if a background child still holds the pty;
# all output is there.
start=$(date +%s)
expect_eq "$(timeout 10 "$WHARF" exec -t box sh -c 'trap "" HUP; sleep 20 & seq 1 2000 | tail -1' | tr -d '\r')" "2000" "exec -t output"
[ $(($(date +%s) - start)) -lt 5 ] || fail "exec -t waited for a background process"
w exec -d box sleep 30
# top: the init and the detached exec, nothing of wharf's own helpers.
top=$(w top box)
expect_eq "$(echo "$top" | head -1 | tr -s ' ')" "UID PID PPID C STIME TTY TIME CMD" "top header"
expect_contains "$top" "httpd -f -p 80 -h /www" "top lists the init"
expect_contains "$top" "sleep 30" "top lists the exec'd process"
expect_contains "$top" "sleep 20" "top lists the background process of the exec -t session"
case "$top" in *"wharf"*) fail "top lists a wharf helper: $top" ;; esac
# With ps options, the host's ps filtered to the container.
top=$(w top box -o pid,comm)
expect_eq "$(echo "$top" | head -1 | tr -s ' ')" "PID COMMAND" "top with ps options: header"
expect_eq "$(echo "$top" | tail -n +2 | awk '{print $2}' | sort | tr '\n' ' ')" "httpd sleep sleep " "top with ps options: only the container's"

# port: the ephemeral mapping, as ps shows it and reachable.
mapping=$(w port box)
[[ "$mapping" =~ ^80/tcp\ -\>\ 127\.0\.0\.1:([0-9]+)$ ]] || fail "port output: $mapping"
hp=${BASH_REMATCH[1]}
expect_eq "$(w port box 80)" "127.0.0.1:$hp" "port CONTAINER 80"
expect_contains "$(http_get http://127.0.0.1:$hp/)" "Welcome to wharf" "the reported port serves"
set +e
out=$(w port box 81/udp 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "port of an unpublished port"
expect_eq "$out" "Error: No public port '81/udp' published for box" "unpublished port message"

# inspect: containers first, then images/networks/volumes; --type narrows; -f templates.
expect_eq "$(w inspect -f '{{.State.Status}} {{.Name}}' box)" "running /box" "inspect container"
expect_eq "$(w container inspect -f '{{.State.Running}}' box)" "true" "container inspect"
expect_eq "$(w inspect -f '{{.Os}}' $img)" "linux" "inspect falls back to images"
expect_eq "$(w inspect --type network -f '{{.Driver}}' bridge)" "bridge" "inspect --type network"
w volume create vol1 >/dev/null
expect_eq "$(w inspect -f '{{.Driver}}' vol1)" "local" "inspect falls back to volumes"
w inspect box $img | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d) == 2 and d[0]["Id"] and d[1]["Id"]' \
  || fail "inspect of two objects is one JSON array"
set +e
out=$(w inspect nope 2>&1); rc=$?
out2=$(w inspect --type container $img 2>&1); rc2=$?
set -e
expect_eq "$rc$rc2" 11 "inspect of missing objects"
expect_contains "$out" "No such object: nope" "missing object message"
expect_contains "$out2" "No such container" "--type container on an image"

# cp: into the container and back, directories by Docker's rules.
src=$E2E_TMP/src; mkdir -p "$src/dir/sub"; echo one > "$src/f.txt"; echo two > "$src/dir/sub/x"
w cp -q "$src/f.txt" box:/tmp/
expect_eq "$(w exec box cat /tmp/f.txt)" "one" "cp file into a directory"
w cp -q "$src/dir" box:/tmp/copied
expect_eq "$(w exec box cat /tmp/copied/sub/x)" "two" "cp directory to a new path"
w cp -q box:/www/index.html "$E2E_TMP/index.html"
expect_contains "$(cat "$E2E_TMP/index.html")" "Welcome to wharf" "cp out of the container"
mkdir "$E2E_TMP/out"
w cp -q box:/tmp/copied "$E2E_TMP/out"
expect_eq "$(cat "$E2E_TMP/out/copied/sub/x")" "two" "cp directory into an existing directory"
# A symlink to / inside the container stays inside it, both ways.
w exec box ln -s / /tmp/escape
w cp -q box:/tmp/escape/etc/hostname "$E2E_TMP/hn"
expect_eq "$(cat "$E2E_TMP/hn")" "$(w exec box hostname)" "symlinked path read inside the container"
w cp -q "$src/f.txt" box:/tmp/escape/root/planted
[ -e /root/planted ] && fail "cp wrote through a container symlink onto the host"
expect_eq "$(w exec box cat /root/planted)" "one" "symlinked path written inside the container"
set +e
out=$(w cp box:/nope "$E2E_TMP/x" 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "cp of a missing path"
expect_contains "$out" "Could not find the file /nope in container" "missing path message"

# rename, then wait for a kill.
w rename box box2
expect_eq "$(w ps --format '{{.Names}}')" "box2" "renamed"
(sleep 0.5; w kill box2 >/dev/null) &
expect_eq "$(w wait box2)" "137" "wait prints the exit code"
wait
set +e
out=$(w exec box2 true 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "exec in a stopped container"
expect_contains "$out" "is not running" "stopped container message"
# cp with a stopped container: its overlay is mounted privately for the copy, then gone.
w cp -q box2:/tmp/f.txt "$E2E_TMP/from-stopped"
expect_eq "$(cat "$E2E_TMP/from-stopped")" "one" "cp out of a stopped container (its writable layer)"
echo three > "$E2E_TMP/three"
w cp -q "$E2E_TMP/three" box2:/www/
w start box2 >/dev/null
expect_eq "$(w exec box2 cat /www/three)" "three" "cp into a stopped container"
w rm -f box2 >/dev/null

# container prune: stopped ones go (label filter respected), running ones stay.
w run --pull never --network none --name done1 -l keep=no $img sh -c 'head -c 3000 /dev/zero > /big'
w run --pull never --network none --name done2 -l keep=yes $img true
w run -d --pull never --network none --name alive $img >/dev/null
done1=$(w inspect -f '{{.Id}}' done1)
out=$(w container prune -f --filter label=keep=no)
expect_eq "$(echo "$out" | head -2 | tr '\n' ' ')" "Deleted Containers: $done1 " "prune report"
expect_contains "$out" "Total reclaimed space: 3kB" "prune reclaimed the writable layer"
expect_eq "$(w ps -a --format '{{.Names}}' | sort | tr '\n' ' ')" "alive done2 " "label filter kept done2"
expect_contains "$(w container prune -f)" "Deleted Containers:" "prune without filter"
expect_eq "$(w ps -a --format '{{.Names}}')" "alive" "running container kept"
w rm -f alive >/dev/null
w volume rm vol1 >/dev/null
check_no_leaks
echo "cli_container_verbs: ok"
