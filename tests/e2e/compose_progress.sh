# compose progress on a terminal (script(1) gives the CLI a pty): a live board redrawn in
# place with cursor-up sequences, collapsing to one final line per resource; plain lines
# without escapes when stderr is not a terminal; nothing with --progress quiet.
source "$(dirname "$0")/lib/compose.sh"

dir=$(project_dir prog <<'EOF2'
name: e2e-prog
services:
  web:
    image: localhost/busybox:latest
    command: ["sleep", "300"]
    depends_on: {db: {condition: service_healthy}}
  db:
    image: localhost/busybox:latest
    command: ["sh", "-c", "sleep 0.6; touch /tmp/ok; exec sleep 300"]
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ok"], interval: 1s, timeout: 1s, retries: 5, start_interval: 100ms, start_period: 10s}
EOF2
)
E2E_PROJECTS+=("$dir")
cd "$dir"

tty_out=$E2E_TMP/tty.out
script -qfec "$WHARF compose up -d" "$tty_out" >/dev/null </dev/null || fail "up on a pty failed: $(cat "$tty_out")"
out=$(cat "$tty_out")
expect_contains "$out" $'\x1b[' "ANSI sequences on a terminal"
grep -qP '\x1b\[[0-9]+A' "$tty_out" || fail "no cursor-up redraw: $(cat -v "$tty_out")"
LC_ALL=C grep -aqP '\xe2\xa0[\x80-\xbf]' "$tty_out" || fail "no spinner while working: $(cat -v "$tty_out")"
# The last frame: every resource done, with its timer.
last=$(python3 - "$tty_out" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read().replace("\r", "")
frames = text.split("[+] Running ")
print("[+] Running " + re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", frames[-1]).strip())
PY
)
expect_contains "$last" "[+] Running 4/4" "final header"
expect_contains "$last" "✔ Network e2e-prog_default" "final network line"
expect_contains "$last" "✔ Container e2e-prog-db-1" "final db line"
expect_contains "$last" "✔ Service db" "final wait line"
grep -qE "✔ Container e2e-prog-web-1 +Started +[0-9]+\.[0-9]s" <<<"$last" || fail "final web line: $last"

# Not a terminal: plain lines, no escapes.
out=$(w compose up -d --force-recreate 2>&1) || fail "plain up failed: $out"
expect_contains "$out" " Container e2e-prog-web-1  Started" "plain line"
if grep -q $'\x1b' <<<"$out"; then fail "escape sequences without a terminal: $(cat -v <<<"$out")"; fi
out=$(w compose --progress json up -d --force-recreate 2>&1) || fail "json up failed: $out"
expect_contains "$out" '{"id":"Container e2e-prog-web-1","status":"Started"}' "json line"
out=$(w compose --progress quiet up -d --force-recreate 2>&1) || fail "quiet up failed: $out"
expect_eq "$out" "" "--progress quiet"

bridges=$(root_networks | awk '{print $2}')
script -qfec "$WHARF compose down -t 1" "$tty_out" >/dev/null </dev/null || fail "down on a pty failed: $(cat "$tty_out")"
grep -q "Removed" "$tty_out" || fail "down board: $(cat -v "$tty_out")"
assert_nothing_left "$bridges"
echo "ok"
