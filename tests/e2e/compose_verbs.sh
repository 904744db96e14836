# The other compose verbs on a real two-service project: attached `up --exit-code-from`
# (service names resolve between services), exec and run exit codes, logs, scale up and
# down, stop/start/restart, kill and rm, ls, and `down` leaving nothing.
source "$(dirname "$0")/lib/compose.sh"

dir=$(project_dir verbs <<'EOF2'
name: e2e-verbs
services:
  web:
    image: localhost/busybox:latest
    command: ["sh", "-c", "echo hello from web; exec httpd -f -p 80 -h /www"]
    ports: ["80"]
  client:
    image: localhost/busybox:latest
    command: ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O /dev/null http://web/ && echo client fetched web && break; sleep 0.3; done; exit 7"]
    depends_on: [web]
EOF2
)
E2E_PROJECTS+=("$dir")
cd "$dir"

# Attached: logs of both, prefixed; the client's exit code is up's; everything stops after.
set +e
out=$(timeout 60 "$WHARF" compose up --exit-code-from client 2>&1); rc=$?
set -e
expect_eq "$rc" 7 "up --exit-code-from client"
expect_contains "$out" "client-1  | client fetched web" "client reached web by its service name"
expect_contains "$out" "web-1     | hello from web" "prefixed web log"
[ -z "$(w compose ps -q)" ] || fail "containers still running after an attached up ended: $(w compose ps)"

w compose up -d web >/dev/null 2>&1 || fail "up -d web"
port=$(w compose port web 80 | sed 's/.*://')
http_get "http://127.0.0.1:$port/" >/dev/null || fail "web not served on its ephemeral port $port"
expect_contains "$(w compose logs --no-log-prefix web)" "hello from web" "compose logs"
expect_contains "$(w compose ls)" "e2e-verbs" "compose ls"

set +e
w compose exec -T web sh -c 'exit 5'; rc=$?
set -e
expect_eq "$rc" 5 "exec exit code"
expect_eq "$(w compose exec -T web cat /www/index.html | head -c 15)" "<!DOCTYPE html>" "exec output"
set +e
out=$(w compose run --rm client sh -c 'wget -q -O- http://web/ | head -c 15; exit 4' 2>/dev/null); rc=$?
set -e
expect_eq "$rc" 4 "run exit code"
expect_eq "$out" "<!DOCTYPE html>" "run reaches web"
[ -z "$(w ps -a -q --filter label=com.docker.compose.oneoff=True)" ] || fail "run --rm left its container"

w compose up -d --scale web=3 web >/dev/null 2>&1 || fail "scale up"
expect_eq "$(w compose ps -q web | wc -l)" 3 "three web replicas"
w compose up -d --scale web=1 web >/dev/null 2>&1 || fail "scale down"
expect_eq "$(w compose ps --format '{{.Name}}' web)" "e2e-verbs-web-1" "scale down keeps replica 1"

w compose stop >/dev/null 2>&1 || fail "stop"
expect_eq "$(w compose ps -q | wc -l)" 0 "nothing running after stop"
w compose start web >/dev/null 2>&1 || fail "start"
expect_eq "$(w compose ps --format '{{.Name}}')" "e2e-verbs-web-1" "web running after start"
id=$(container_id e2e-verbs-web-1)
w compose restart web >/dev/null 2>&1 || fail "restart"
expect_eq "$(container_id e2e-verbs-web-1)" "$id" "restart keeps the container"
http_get "http://127.0.0.1:$(w compose port web 80 | sed 's/.*://')/" >/dev/null || fail "web not served after restart"
w compose kill web >/dev/null 2>&1 || fail "kill"
w compose rm -f >/dev/null 2>&1 || fail "rm"
[ -z "$(w compose ps -a -q)" ] || fail "rm left containers: $(w compose ps -a)"

bridges=$(root_networks | awk '{print $2}')
w compose down -v >/dev/null 2>&1 || fail "down"
assert_nothing_left "$bridges"
echo "ok"
