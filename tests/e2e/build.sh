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

# The image runs as its USER in its WORKDIR.
out=$("$wharf" run --rm --pull never localhost/e2e:1)
[ "$out" = $'1234\n/srv/www\n<h1>built</h1>' ] || fail "run output: $out"

# A Dockerfile from stdin, with the context directory, and with no context at all.
printf 'FROM localhost/busybox:latest\nRUN echo from-stdin > /f\n' |
  "$wharf" build -q -f - -t localhost/e2e:stdin "$ctx" >/dev/null
printf 'FROM localhost/busybox:latest\nLABEL x=y\n' | "$wharf" build -q -t localhost/e2e:noctx - >/dev/null
[ "$("$wharf" image inspect -f '{{json .Config.Labels}}' localhost/e2e:noctx)" = '{"x":"y"}' ] || fail "label from stdin Dockerfile"

# A failing RUN: exit 1, file:line and the command's exit code, its output shown, no tag.
cat >"$ctx/Dockerfile.bad" <<'EOF'
FROM localhost/busybox:latest
COPY index.html /
RUN echo about-to-fail >&2; exit 7
EOF
set +e
"$wharf" build --progress plain -f "$ctx/Dockerfile.bad" -t localhost/e2e:bad "$ctx" 2>"$tmp/bad.txt"
code=$?
set -e
[ "$code" = 1 ] || { cat "$tmp/bad.txt"; fail "failing build exited $code"; }
grep -q 'about-to-fail' "$tmp/bad.txt" || fail "failing step output not shown"
grep -q 'Dockerfile.bad:3: Step 3/3 : RUN echo about-to-fail >&2; exit 7: process "/bin/sh -c echo about-to-fail >&2; exit 7" did not complete successfully: exit code: 7' "$tmp/bad.txt" ||
  { cat "$tmp/bad.txt"; fail "error text"; }
"$wharf" image inspect localhost/e2e:bad >/dev/null 2>&1 && fail "failed build was tagged"
check_no_leaks
[ -z "$(ls -A "$WHARF_ROOT/build/tmp")" ] || fail "build left scratch dirs: $(ls "$WHARF_ROOT/build/tmp")"

# Quiet mode still shows why a step failed.
set +e
"$wharf" build -q -f "$ctx/Dockerfile.bad" "$ctx" >"$tmp/q.out" 2>"$tmp/q.err"
set -e
[ -s "$tmp/q.out" ] && fail "-q printed an ID for a failed build"
grep -q 'about-to-fail' "$tmp/q.err" || { cat "$tmp/q.err"; fail "-q hid the failing output"; }
check_no_leaks
echo "build e2e: ok"
