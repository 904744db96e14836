# `build:` services: `up` builds a missing image (tagged as `image:` says), `up` again
# reuses it, `up --build` after an edit rebuilds it and recreates only that service's
# container, saying why.
source "$(dirname "$0")/lib/compose.sh"

port=$(free_port)
dir=$(project_dir built <<EOF2
name: e2e-built
services:
  site:
    image: localhost/e2e-built-site:dev
    build: ./site
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    ports: ["127.0.0.1:$port:80"]
  plain:
    image: localhost/busybox:latest
    command: ["sleep", "300"]
EOF2
)
E2E_PROJECTS+=("$dir")
mkdir -p "$dir/site"
printf 'FROM localhost/busybox:latest\nCOPY index.html /www/index.html\n' > "$dir/site/Dockerfile"
echo "first edition" > "$dir/site/index.html"
cd "$dir"

out=$(w compose up -d 2>&1) || fail "up -d with a build section: $out"
expect_contains "$out" "Service site  Built" "up built the missing image"
expect_eq "$(http_get "http://127.0.0.1:$port/")" "first edition" "page from the built image"
w image inspect localhost/e2e-built-site:dev >/dev/null 2>&1 || fail "image localhost/e2e-built-site:dev not tagged"

out=$(w compose up -d 2>&1) || fail "second up: $out"
case "$out" in *Built*|*Recreated*|*Started*) fail "second up rebuilt or restarted: $out" ;; esac

plain=$(container_id e2e-built-plain-1)
echo "second edition" > site/index.html
out=$(w compose up -d --build 2>&1) || fail "up --build: $out"
expect_contains "$out" "Container e2e-built-site-1  Recreated (image changed" "recreate says why"
expect_eq "$(http_get "http://127.0.0.1:$port/")" "second edition" "page after the rebuild"
expect_eq "$(container_id e2e-built-plain-1)" "$plain" "the unchanged service kept its container"

bridges=$(root_networks | awk '{print $2}')
out=$(w compose down -t 0 --rmi all 2>&1) || fail "down --rmi all: $out"
expect_contains "$out" "Image localhost/e2e-built-site:dev  Removed" "down --rmi all removes the built image"
if w image inspect localhost/e2e-built-site:dev >/dev/null 2>&1; then fail "built image still there"; fi
assert_nothing_left "$bridges"
echo "ok"
