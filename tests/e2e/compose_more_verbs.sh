#!/usr/bin/env bash
# The compose verbs that need engine support beyond create/start/stop: pause/unpause (a
# counter stops and resumes), top, cp both ways (and --index, and tar streams with -), push
# to a real registry then pull back by digest, and `compose events --json` streaming while up/down run.
source "$(dirname "$0")/lib/compose.sh"
start_registry

dir=$(project_dir more <<EOF2
name: e2e-more
services:
  ticker:
    image: localhost/busybox:latest
    command: ["sh", "-c", "i=0; while true; do i=\$\$((i+1)); echo \$\$i > /cnt/n; sleep 0.1; done"]
    volumes: ["./cnt:/cnt"]
  app:
    image: 127.0.0.1:$rport/e2e/app:1
    build: ./app
    command: ["sleep", "300"]
    deploy: {replicas: 2}
EOF2
)
E2E_PROJECTS+=("$dir")
mkdir -p "$dir/app" "$dir/cnt"
printf 'FROM localhost/busybox:latest\nCOPY greeting /greeting\n' > "$dir/app/Dockerfile"
echo "built for push" > "$dir/app/greeting"
cd "$dir"

# compose events --json follows the journal while the project comes up.
timeout 120 "$WHARF" compose events --json > "$E2E_TMP/events.json" 2> "$E2E_TMP/events.err" &
events_pid=$!
E2E_PIDS+=($events_pid)
sleep 0.5
out=$(w compose up -d 2>&1) || fail "up: $out"
counter() { local v; for _ in 1 2 3 4 5; do v=$(cat cnt/n 2>/dev/null); [ -n "$v" ] && { echo "$v"; return; }; sleep 0.02; done; echo 0; }
for _ in $(seq 1 50); do [ "$(counter)" -ge 3 ] && break; sleep 0.1; done

# pause / unpause
out=$(w compose pause ticker 2>&1) || fail "compose pause: $out"
expect_contains "$out" "Container e2e-more-ticker-1  Paused" "pause progress line"
a=$(counter); sleep 0.6; b=$(counter)
expect_eq "$b" "$a" "paused service's counter stands still"
expect_contains "$(w compose ps ticker --format '{{.Status}}')" "(Paused)" "compose ps shows Paused"
expect_eq "$(w compose ps --status paused --format '{{.Service}}')" "ticker" "compose ps --status paused"
out=$(w compose unpause 2>&1) || fail "compose unpause: $out"
expect_contains "$out" "Container e2e-more-ticker-1  Unpaused" "unpause progress line"
a=$(counter); sleep 0.6; b=$(counter)
[ "$b" -gt "$a" ] || fail "counter did not resume after compose unpause ($a -> $b)"

# top: a header per container, then its processes.
out=$(w compose top)
expect_eq "$(echo "$out" | grep -c '^e2e-more-')" 3 "one header per running container"
expect_contains "$out" "e2e-more-app-1
UID   " "header then the table"
expect_contains "$out" "sleep 300" "app's process listed"
expect_contains "$(w compose top ticker)" "sleep 0.1" "ticker's loop listed"
[ -z "$(w compose top ticker | grep 'e2e-more-app')" ] || fail "compose top ticker listed app"

# cp: from a service (its first container), into a service (every container), --index.
w compose cp app:/greeting "$E2E_TMP/got" || fail "compose cp from a service"
expect_eq "$(cat "$E2E_TMP/got")" "built for push" "copied out of app"
echo "sent in" > "$E2E_TMP/sent"
w compose cp "$E2E_TMP/sent" app:/tmp/sent || fail "compose cp into a service"
expect_eq "$(w compose exec -T --index 1 app cat /tmp/sent)" "sent in" "copied into app-1"
expect_eq "$(w compose exec -T --index 2 app cat /tmp/sent)" "sent in" "copied into app-2 too"
echo "only two" > "$E2E_TMP/two"
w compose cp --index 2 "$E2E_TMP/two" app:/tmp/two || fail "compose cp --index 2"
expect_eq "$(w compose exec -T --index 2 app cat /tmp/two)" "only two" "--index 2 got it"
if w compose exec -T --index 1 app test -e /tmp/two; then fail "--index 2 also copied into app-1"; fi
# "-": a tar of the service's file on stdout; a tar on stdin unpacked into every container.
w compose cp app:/greeting - | tar -xOf - greeting >"$E2E_TMP/from-tar" || fail "compose cp SERVICE:SRC -"
expect_eq "$(cat "$E2E_TMP/from-tar")" "built for push" "compose cp to stdout"
mkdir -p "$E2E_TMP/tarsrc" && echo "via tar" >"$E2E_TMP/tarsrc/viatar"
tar -C "$E2E_TMP/tarsrc" -cf - viatar | w compose cp - app:/tmp || fail "compose cp - SERVICE:DIR"
expect_eq "$(w compose exec -T --index 1 app cat /tmp/viatar)" "via tar" "stdin tar unpacked into app-1"
expect_eq "$(w compose exec -T --index 2 app cat /tmp/viatar)" "via tar" "and into app-2 from the same stream"
# --archive keeps the source's owners (else root's); --follow-link copies a symlink's target.
chown 1234:5678 "$E2E_TMP/sent"
w compose cp --index 1 "$E2E_TMP/sent" app:/tmp/owned
w compose cp --index 1 --archive "$E2E_TMP/sent" app:/tmp/owned-a
expect_eq "$(w compose exec -T --index 1 app stat -c %u:%g /tmp/owned /tmp/owned-a | xargs)" "0:0 1234:5678" "compose cp -a"
w compose exec -T --index 1 app ln -s /greeting /tmp/glink
w compose cp app:/tmp/glink "$E2E_TMP/glink"
expect_eq "$(readlink "$E2E_TMP/glink")" "/greeting" "compose cp of a symlink"
w compose cp -L app:/tmp/glink "$E2E_TMP/glink-L"
expect_eq "$(cat "$E2E_TMP/glink-L")" "built for push" "compose cp --follow-link"
set +e
out=$(w compose cp --index 5 app:/greeting "$E2E_TMP/x" 2>&1); rc=$?
set -e
[ "$rc" != 0 ] || fail "compose cp --index 5 succeeded"
expect_contains "$out" "service \"app\" has no container number 5" "--index out of range"
set +e
out=$(w compose cp nosuch:/x "$E2E_TMP/x" 2>&1); rc=$?
set -e
[ "$rc" != 0 ] || fail "compose cp from an unknown service succeeded"
expect_contains "$out" "no such service: nosuch" "unknown service"

# push: the built image to the registry (ticker has no build: skipped), then pulled back
# by the digest the registry reports.
push_since=$(date +%s.%N)
out=$(w compose push 2>&1) || fail "compose push: $out"
expect_eq "$(w events --since "$push_since" --until 0s --filter type=image --filter event=push \
  --format '{{.Actor.ID}}')" "127.0.0.1:$rport/e2e/app:1" "the push event names the reference pushed"
expect_contains "$out" "ticker  Skipped" "a service without build is skipped"
expect_contains "$out" "Image 127.0.0.1:$rport/e2e/app:1  Pushed" "app pushed"
digest=$(curl -fsS -o /dev/null -D - \
  -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
  "http://127.0.0.1:$rport/v2/e2e/app/manifests/1" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}')
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "registry has no manifest for e2e/app:1"
expect_eq "$(w compose push -q 2>&1)" "" "push -q prints nothing"
w pull -q "127.0.0.1:$rport/e2e/app@$digest" >/dev/null || fail "pull back by digest"
expect_eq "$(w run --rm --pull never --network none "127.0.0.1:$rport/e2e/app@$digest" cat /greeting)" "built for push" \
  "the pulled image is the built one"
sed -i "s|image: 127.0.0.1:$rport/e2e/app:1|image: 127.0.0.1:$(free_port)/e2e/app:1|" compose.yaml
w tag "127.0.0.1:$rport/e2e/app:1" "$(grep -o "127.0.0.1:[0-9]*/e2e/app:1" compose.yaml)"
set +e
out=$(w compose push app 2>&1); rc=$?
set -e
[ "$rc" != 0 ] || fail "push to a registry that does not answer succeeded"
expect_contains "$out" "service \"app\": push " "a failed push names the service"
out=$(w compose push --ignore-push-failures app 2>&1) || fail "--ignore-push-failures still failed: $out"
expect_contains "$out" "WARN" "--ignore-push-failures warns"
sed -i "s|image: 127.0.0.1:[0-9]*/e2e/app:1|image: 127.0.0.1:$rport/e2e/app:1|" compose.yaml

w compose down -t 1 >/dev/null 2>&1 || fail "down"
for _ in $(seq 1 50); do [ "$(grep -c '"action":"destroy"' "$E2E_TMP/events.json")" -ge 3 ] && break; sleep 0.1; done
kill "$events_pid" 2>/dev/null || true
python3 - "$E2E_TMP/events.json" <<'PY' || fail "compose events --json: $(cat "$E2E_TMP/events.json" "$E2E_TMP/events.err")"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert events, "no events"
for e in events:
    assert sorted(e) == ["action", "attributes", "id", "service", "time", "type"], e
    assert e["type"] == "container" and len(e["id"]) == 64, e
    assert not any(k.startswith(("com.docker.compose.", "dev.wharf.compose.")) for k in e["attributes"]), e
    assert e["attributes"]["name"].startswith("e2e-more-"), e
seq = [e["action"] for e in events if e["service"] == "ticker"]
want = ["create", "start", "pause", "unpause", "kill", "die", "stop", "destroy"]
it = iter(seq)
assert all(a in it for a in want), f"ticker's actions {seq} lack the order {want}"
apps = {e["attributes"]["name"] for e in events if e["service"] == "app" and e["action"] == "start"}
assert apps == {"e2e-more-app-1", "e2e-more-app-2"}, apps
PY
# The text format, replayed with --since.
out=$(w compose events --since 10m --until 0s ticker)
line=$(echo "$out" | grep ' container start ' | head -1)
[[ "$line" =~ ^[0-9-]{10}\ [0-9:]{8}\.[0-9]{6}\ container\ start\ [0-9a-f]{64}\ \(image=localhost/busybox:latest,\ name=e2e-more-ticker-1\)$ ]] \
  || fail "compose events text line: $line"
assert_nothing_left ""
echo "compose_more_verbs: ok"
