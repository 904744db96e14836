# compose up/down of small projects with real containers: service_healthy ordering,
# idempotent second up, edit -> only that service recreated, --wait naming an unhealthy
# service, a port conflict found before any container exists, down -v leaving nothing.
source "$(dirname "$0")/lib/compose.sh"

port=$(free_port)
dir=$(project_dir shop <<EOF2
name: e2e-shop
services:
  web:
    image: localhost/busybox:latest
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    ports: ["127.0.0.1:$port:80"]
    depends_on:
      db: {condition: service_healthy}
  db:
    image: localhost/busybox:latest
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec httpd -f -p 80 -h /www"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      timeout: 1s
      retries: 10
    volumes: ["data:/data"]
volumes:
  data: {}
EOF2
)
E2E_PROJECTS+=("$dir")
cd "$dir"

# --dry-run changes nothing and says why.
plan=$(w compose up --dry-run) || fail "dry run failed"
grep -q "wait for db healthy" <<<"$plan" || fail "plan has no healthy wait: $plan"
[ -z "$(w ps -a -q)" ] || fail "dry run created containers"

out=$(w compose up -d 2>&1) || fail "up -d failed: $out"
http_get "http://127.0.0.1:$port/" >/dev/null || fail "web not served on $port"
db_started=$(container_field e2e-shop-db-1 State.StartedAt)
web_started=$(container_field e2e-shop-web-1 State.StartedAt)
python3 - "$db_started" "$web_started" <<'PY' || fail "web started before db was healthy: db $db_started web $web_started"
import sys
from datetime import datetime
def t(s):
    s = s.rstrip("Z")
    head, _, frac = s.partition(".")
    return datetime.fromisoformat(head).timestamp() + float("0." + (frac or "0"))
assert t(sys.argv[2]) - t(sys.argv[1]) >= 1.0, (sys.argv[1], sys.argv[2])
PY
[ "$(container_field e2e-shop-db-1 State.Health.Status)" = healthy ] || fail "db not healthy"
[ -d "$WHARF_ROOT/volumes/e2e-shop_data" ] || fail "volume e2e-shop_data missing"

web1=$(container_id e2e-shop-web-1); db1=$(container_id e2e-shop-db-1)
out=$(w compose up -d 2>&1) || fail "second up failed: $out"
[ "$(container_id e2e-shop-web-1)" = "$web1" ] && [ "$(container_id e2e-shop-db-1)" = "$db1" ] || fail "second up recreated: $out"
[ "$(w compose up --dry-run)" = "nothing to do" ] || fail "second plan not empty"

# Edit web only.
sed -i 's|command: \["httpd", "-f", "-p", "80", "-h", "/www"\]|command: ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]|' compose.yaml
plan=$(w compose up --dry-run)
grep -q "stop container e2e-shop-web-1: config changed: command" <<<"$plan" || fail "edit plan: $plan"
out=$(w compose up -d 2>&1) || fail "up after edit failed: $out"
[ "$(container_id e2e-shop-db-1)" = "$db1" ] || fail "db recreated although unchanged"
[ "$(container_id e2e-shop-web-1)" != "$web1" ] || fail "web not recreated after edit"
http_get "http://127.0.0.1:$port/" >/dev/null || fail "web not served after recreate"

# A taken port is found before anything is created.
busy=$(free_port)
python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', $busy)); s.listen(); time.sleep(600)" &
E2E_PIDS+=($!)
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$busy) 2>/dev/null && break; sleep 0.1; done
cdir=$(project_dir conflict <<EOF2
name: e2e-conflict
services:
  a:
    image: localhost/busybox:latest
  b:
    image: localhost/busybox:latest
    ports: ["$busy:80"]
EOF2
)
E2E_PROJECTS+=("$cdir")
if out=$(cd "$cdir" && w compose up -d 2>&1); then fail "up with a taken port succeeded"; fi
grep -q "service \"b\".*$busy.*already allocated" <<<"$out" || fail "port conflict message: $out"
[ -z "$(w ps -a -q --filter label=com.docker.compose.project=e2e-conflict)" ] || fail "containers created despite the port conflict"

# --wait fails naming the unhealthy service.
sdir=$(project_dir sick <<'EOF2'
name: e2e-sick
services:
  sick:
    image: localhost/busybox:latest
    command: ["sleep", "300"]
    healthcheck: {test: ["CMD", "false"], interval: 1s, timeout: 1s, retries: 1}
EOF2
)
E2E_PROJECTS+=("$sdir")
if out=$(cd "$sdir" && w compose up -d --wait --wait-timeout 60 2>&1); then fail "up --wait succeeded with a failing healthcheck"; fi
grep -q 'service "sick": container e2e-sick-sick-1 is unhealthy' <<<"$out" || fail "--wait message: $out"
(cd "$sdir" && w compose down -t 0 >/dev/null 2>&1) || fail "down of e2e-sick"

# down -v: nothing left.
bridges=$(root_networks | awk '{print $2}')
out=$(w compose down -v -t 1 2>&1) || fail "down -v failed: $out"
grep -q "Volume e2e-shop_data  Removed" <<<"$out" || fail "down -v kept the volume: $out"
(cd "$cdir" && w compose down >/dev/null 2>&1) || true
assert_nothing_left "$bridges"
[ ! -d "$WHARF_ROOT/volumes/e2e-shop_data" ] || fail "volume directory left"
echo "ok"
