#!/usr/bin/env bash
# `wharf build` through the real CLI: plain progress with CACHED steps, -q, -f -, context -,
# a failing RUN (exit 1, file:line, the step's output, nothing tagged), and the built image
# run with `wharf run --rm` (USER and WORKDIR in effect). Own state root, cleaned up.
source "$(dirname "$0")/lib/common.sh"
load_fixture
wharf=$WHARF
tmp=$E2E_TMP
ctx=$tmp/ctx
mkdir -p "$ctx"
echo '<h1>built</h1>' >"$ctx/index.html"
cat >"$ctx/Dockerfile" <<'EOF'
FROM localhost/busybox:latest
RUN echo step-output && echo 'app:x:1234:1234::/srv:/bin/sh' >> /etc/passwd
WORKDIR /srv/www
COPY index.html ./
USER app
CMD ["sh", "-c", "id -u; pwd; cat index.html"]
EOF

# Cold build, plain progress on stderr.
"$wharf" build --progress plain -t localhost/e2e:1 "$ctx" 2>"$tmp/cold.txt" || { cat "$tmp/cold.txt"; fail "cold build"; }
grep -q '^#1 \[internal\] load build definition from Dockerfile$' "$tmp/cold.txt" || fail "no definition vertex"
grep -q '^#3 \[2/6\] RUN echo step-output && echo .app:x:1234:1234::/srv:/bin/sh. >> /etc/passwd$' "$tmp/cold.txt" || { cat "$tmp/cold.txt"; fail "no RUN vertex"; }
grep -Eq '^#3 [0-9]+\.[0-9]{3} step-output$' "$tmp/cold.txt" || fail "RUN output not streamed"
grep -q '^#8 naming to localhost/e2e:1 done$' "$tmp/cold.txt" || { cat "$tmp/cold.txt"; fail "no naming line"; }
grep -q 'CACHED' "$tmp/cold.txt" && fail "cold build had CACHED steps"

# Unchanged rebuild: every step after FROM is CACHED, same image ID.
"$wharf" build --progress plain -t localhost/e2e:1 "$ctx" 2>"$tmp/warm.txt"
[ "$(grep -c '^#[0-9]* CACHED$' "$tmp/warm.txt")" = 5 ] || { cat "$tmp/warm.txt"; fail "rebuild not all CACHED"; }
id1=$("$wharf" build -q -t localhost/e2e:1 "$ctx")
[[ $id1 == sha256:* ]] || fail "-q printed '$id1'"
[ "$("$wharf" image inspect -f '{{.Id}}' localhost/e2e:1)" = "$id1" ] || fail "tag does not name the -q ID"

# `image history`: one row per instruction, newest first, as BuildKit writes them.
hist=$("$wharf" image history --no-trunc --format '{{.CreatedBy}}|{{.Size}}' localhost/e2e:1 | head -5)
expected='CMD ["sh" "-c" "id -u; pwd; cat index.html"]|0B
USER app|0B
COPY index.html ./ # buildkit|15B
WORKDIR /srv/www|0B'
[ "$(echo "$hist" | head -4)" = "$expected" ] || fail "history rows: $hist"
echo "$hist" | sed -n 5p | grep -q "^RUN /bin/sh -c echo step-output && echo 'app:x:1234:1234::/srv:/bin/sh' >> /etc/passwd # buildkit|" ||
  fail "history RUN row: $hist"

# The image runs as its USER in its WORKDIR.
out=$("$wharf" run --rm --pull never localhost/e2e:1)
[ "$out" = $'1234\n/srv/www\n<h1>built</h1>' ] || fail "run output: $out"

# A Dockerfile from stdin, with the context directory, and with no context at all.
printf 'FROM localhost/busybox:latest\nRUN echo from-stdin > /f\n' |
  "$wharf" build -q -f - -t localhost/e2e:stdin "$ctx" >/dev/null
printf 'FROM localhost/busybox:latest\nLABEL x=y\n' | "$wharf" build -q -t localhost/e2e:noctx - >/dev/null
[ "$("$wharf" image inspect -f '{{json .Config.Labels}}' localhost/e2e:noctx)" = '{"x":"y"}' ] || fail "label from stdin Dockerfile"

# --platform: the host's is accepted, another refused (no emulation).
"$wharf" build -q --platform "linux/$(dpkg --print-architecture)" "$ctx" >/dev/null
set +e
out=$("$wharf" build -q --platform linux/s390x "$ctx" 2>&1); code=$?
set -e
[ "$code" = 1 ] || fail "--platform linux/s390x exited $code"
expect_contains "$out" "--platform linux/s390x: only the host platform" "--platform refusal"

# A context archive on stdin (`tar | build -`), with its own Dockerfile.
tar -cz -C "$ctx" Dockerfile index.html | "$wharf" build -q -t localhost/e2e:tar - >/dev/null
[ "$("$wharf" run --rm --pull never localhost/e2e:tar cat index.html)" = '<h1>built</h1>' ] || fail "context from a tar on stdin"

# A failing RUN: exit 1, file:line and the command's exit code, its output shown, no tag.
cat >"$ctx/Dockerfile.bad" <<'EOF'
FROM localhost/busybox:latest
COPY index.html /
RUN echo "about-to-fail-$((6*7))" >&2; exit 7
EOF
set +e
"$wharf" build --progress plain -f "$ctx/Dockerfile.bad" -t localhost/e2e:bad "$ctx" 2>"$tmp/bad.txt"
code=$?
set -e
[ "$code" = 1 ] || { cat "$tmp/bad.txt"; fail "failing build exited $code"; }
# (the output says 42; the command text does not)
grep -q 'about-to-fail-42' "$tmp/bad.txt" || fail "failing step output not shown"
grep -qF 'Dockerfile.bad:3: Step 3/3 : RUN echo "about-to-fail-$((6*7))" >&2; exit 7: process "/bin/sh -c echo \"about-to-fail-$((6*7))\" >&2; exit 7" did not complete successfully: exit code: 7' "$tmp/bad.txt" ||
  { cat "$tmp/bad.txt"; fail "error text"; }
"$wharf" image inspect localhost/e2e:bad >/dev/null 2>&1 && fail "failed build was tagged"
check_no_leaks
[ -z "$(ls -A "$WHARF_ROOT/build/tmp")" ] || fail "build left scratch dirs: $(ls "$WHARF_ROOT/build/tmp")"

# Quiet mode still shows why a step failed.
set +e
"$wharf" build -q -f "$ctx/Dockerfile.bad" "$ctx" >"$tmp/q.out" 2>"$tmp/q.err"
set -e
[ -s "$tmp/q.out" ] && fail "-q printed an ID for a failed build"
grep -q 'about-to-fail-42' "$tmp/q.err" || { cat "$tmp/q.err"; fail "-q hid the failing output"; }

# builder prune forgets the cache (the next build runs every step) and keeps tagged images.
out=$("$wharf" builder prune -f)
expect_contains "$out" "Deleted build cache objects:" "builder prune report"
expect_contains "$out" "Total reclaimed space: " "builder prune report"
[ "$("$wharf" run --rm --pull never localhost/e2e:1 id -u)" = 1234 ] || fail "image broken by builder prune"
"$wharf" build --progress plain -t localhost/e2e:1 "$ctx" 2>"$tmp/pruned.txt"
grep -q CACHED "$tmp/pruned.txt" && fail "a build after builder prune used the cache"
"$wharf" builder prune -f >/dev/null
[ "$("$wharf" builder prune -f)" = "Total reclaimed space: 0B" ] || fail "prune of an empty cache"

# Stopped during a RUN (SIGTERM here: a background job ignores SIGINT, and so does wharf
# then): the step's container is killed and removed, exit 130, nothing left.
printf 'FROM localhost/busybox:latest\nRUN echo started; sleep 1077\n' >"$ctx/Dockerfile.long"
"$wharf" build --progress plain -f "$ctx/Dockerfile.long" -t localhost/e2e:long "$ctx" 2>"$tmp/int.txt" &
bpid=$!
for _ in $(seq 1 100); do grep -Eq '^#3 [0-9.]+ started$' "$tmp/int.txt" && break; sleep 0.1; done
grep -Eq '^#3 [0-9.]+ started$' "$tmp/int.txt" || fail "long RUN did not start"
kill -TERM "$bpid"
set +e
wait "$bpid"
code=$?
set -e
[ "$code" = 130 ] || { cat "$tmp/int.txt"; fail "interrupted build exited $code"; }
grep -q 'Step 2/2 : RUN echo started; sleep 1077: interrupted' "$tmp/int.txt" || { cat "$tmp/int.txt"; fail "interrupt message"; }
pgrep -f 'sleep 1077' >/dev/null && fail "the interrupted step's process survived"
"$wharf" image inspect localhost/e2e:long >/dev/null 2>&1 && fail "interrupted build was tagged"
[ -z "$(ls -A "$WHARF_ROOT/build/tmp")" ] || fail "interrupted build left scratch dirs"

# SIGKILLed during a RUN, a build cannot clean up: the next build removes what it left.
"$wharf" build --progress plain -f "$ctx/Dockerfile.long" "$ctx" 2>"$tmp/kill.txt" &
bpid=$!
for _ in $(seq 1 100); do grep -Eq '^#3 [0-9.]+ started$' "$tmp/kill.txt" && break; sleep 0.1; done
grep -Eq '^#3 [0-9.]+ started$' "$tmp/kill.txt" || fail "long RUN did not start before the kill"
kill -KILL "$bpid"
wait "$bpid" 2>/dev/null || true
[ -n "$("$wharf" ps -aq)" ] || fail "expected the killed build's step container"
[ -n "$(ls -A "$WHARF_ROOT/build/tmp")" ] || fail "expected the killed build's scratch dir"
printf 'FROM localhost/busybox:latest\nLABEL swept=yes\n' | "$wharf" build -q - >/dev/null
[ -z "$("$wharf" ps -aq)" ] || { "$wharf" ps -a --format "{{.ID}} {{.Labels}} {{.Status}}"; pgrep -af wharf; fail "the next build did not remove the dead build's container"; }
[ -z "$(ls -A "$WHARF_ROOT/build/tmp")" ] || fail "the next build did not remove the dead build's scratch dir"
pgrep -f 'sleep 1077' >/dev/null && fail "the dead build's step process survived the sweep"
check_no_leaks
echo "build e2e: ok"
