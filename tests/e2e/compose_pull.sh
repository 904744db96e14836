# Images from a registry (Debian's docker-registry on 127.0.0.1): `up` pulls a missing image
# (pull_policy missing), `compose pull` pulls again, `pull_policy: never` fails in preflight
# before anything is created, and a registry that does not answer names the service.
source "$(dirname "$0")/lib/compose.sh"
start_registry

img=127.0.0.1:$rport/e2e/busybox:1
w tag localhost/busybox:latest "$img" || fail "tag"
w push "$img" >/dev/null 2>&1 || fail "push to the test registry"
w rmi "$img" >/dev/null 2>&1 || fail "rmi"
if w image inspect "$img" >/dev/null 2>&1; then fail "image still present after rmi"; fi

port=$(free_port)
dir=$(project_dir pulled <<EOF2
name: e2e-pulled
services:
  web:
    image: $img
    ports: ["127.0.0.1:$port:80"]
EOF2
)
E2E_PROJECTS+=("$dir")
cd "$dir"
out=$(w compose up -d 2>&1) || fail "up with a missing image: $out"
expect_contains "$out" "Image $img  Pulled" "up pulled the missing image"
http_get "http://127.0.0.1:$port/" >/dev/null || fail "web from the pulled image not served"
out=$(w compose pull 2>&1) || fail "compose pull: $out"
expect_contains "$out" "Pulled" "compose pull"
w compose down -t 0 >/dev/null 2>&1 || fail "down"

ndir=$(project_dir never <<EOF2
name: e2e-never
services:
  web:
    image: 127.0.0.1:$rport/e2e/absent:1
    pull_policy: never
EOF2
)
E2E_PROJECTS+=("$ndir")
if out=$(cd "$ndir" && w compose up -d 2>&1); then fail "up with pull_policy never and no image succeeded"; fi
expect_contains "$out" "service \"web\": image 127.0.0.1:$rport/e2e/absent:1 not found locally" "pull_policy never"
[ -z "$(w ps -a -q --filter label=com.docker.compose.project=e2e-never)" ] || fail "containers created"

sed -i 's/    pull_policy: never//' "$ndir/compose.yaml"
if out=$(cd "$ndir" && w compose up -d 2>&1); then fail "up with an image the registry lacks succeeded"; fi
expect_contains "$out" "service \"web\": manifest for 127.0.0.1:$rport/e2e/absent:1 not found" "failed pull names the service"
echo "ok"
