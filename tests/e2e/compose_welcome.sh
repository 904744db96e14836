# examples/welcome itself: `compose up -d` serves http://127.0.0.1:8080, a second `up` changes
# nothing, `down` leaves nothing behind.
source "$(dirname "$0")/lib/compose.sh"

if (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; then
  fail "port 8080 is in use on this machine; examples/welcome needs it"
fi
cd "$WHARF_SOURCE_DIR/examples/welcome"
E2E_PROJECTS+=("$PWD")

out=$(w compose up -d 2>&1) || fail "up -d failed: $out"
echo "$out" | grep -q "Container welcome-web-1  Started" || fail "no progress line for web: $out"
body=$(http_get http://127.0.0.1:8080/) || fail "http://127.0.0.1:8080 did not answer"
[ "$body" = "$(cat public/index.html)" ] || fail "not examples/welcome/public/index.html: $body"

id1=$(container_id welcome-web-1)
out=$(w compose up -d 2>&1) || fail "second up failed: $out"
if echo "$out" | grep -q "Created\|Started\|Removed"; then fail "second up changed something: $out"; fi
[ "$(container_id welcome-web-1)" = "$id1" ] || fail "second up recreated welcome-web-1"

ps=$(w compose ps --format json)
python3 - "$ps" <<'PY' || fail "ps --format json: $ps"
import json, sys
rows = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
assert len(rows) == 1 and rows[0]["Service"] == "web" and rows[0]["State"] == "running", rows
assert any(p["PublishedPort"] == 8080 and p["TargetPort"] == 80 for p in rows[0]["Publishers"]), rows
PY
[ "$(w compose port web 80)" = "0.0.0.0:8080" ] || fail "compose port web 80: $(w compose port web 80)"

bridges=$(root_networks | awk '{print $2}')
out=$(w compose down 2>&1) || fail "down failed: $out"
echo "$out" | grep -q "Network welcome_default  Removed" || fail "down did not remove the network: $out"
assert_nothing_left "$bridges"
if curl -fsS --max-time 1 http://127.0.0.1:8080/ >/dev/null 2>&1; then fail "port 8080 still served after down"; fi
echo "ok"
