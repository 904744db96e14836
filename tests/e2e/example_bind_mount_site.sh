#!/usr/bin/env bash
# examples/bind-mount-site, as "Sharing local files with containers" walks it: the whale page
# in ./public_html is served through a bind mount; editing it, deleting it and re-creating it
# on the host changes what is served at once; the guide's `run -v .:…` and `--mount
# type=bind,source=./,…` forms serve the same directory; `down` leaves nothing behind.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/examples.sh"
load_fixture
dir=$(example_copy bind-mount-site)
cd "$dir"
export WEB_PORT
WEB_PORT=$(free_port)

t0=$(now)
w compose up -d --wait >/dev/null
timing bind-mount-site "warm cache to ready (compose up --wait)" "$t0"
bridges=$(root_bridges)
url=http://127.0.0.1:$WEB_PORT/

page=$(http_get "$url") || fail "nothing served on $url"
expect_contains "$page" "<h1>Whalecome!!</h1>" "the whale page"
expect_contains "$page" "Hello from Docker!" "the whale page's art"
expect_eq "$(w compose port my_site 80)" "0.0.0.0:$WEB_PORT" "WEB_PORT picks the host port"

# An edit on the host is served without a restart.
sed -i 's|<h1>Whalecome!!</h1>|<h1>Edited on the host</h1>|' public_html/index.html
expect_contains "$(curl -fsS "$url")" "<h1>Edited on the host</h1>" "host edit visible"

# Deleted on the host: gone in the container too (404), the server itself still healthy.
cp public_html/index.html "$E2E_TMP/index.html.saved"
rm public_html/index.html
code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
expect_eq "$code" 404 "status once index.html is deleted on the host"
expect_eq "$(w compose exec -T my_site ls /usr/local/apache2/htdocs)" "" "the container sees the deletion"

# Re-created on the host: served again.
cp "$E2E_TMP/index.html.saved" public_html/index.html
expect_contains "$(curl -fsS "$url")" "<h1>Edited on the host</h1>" "re-created file served"
# A file the container writes appears on the host (the mount is read-write, as in the guide).
w compose exec -T my_site sh -c 'echo from-the-container > /usr/local/apache2/htdocs/note.txt'
expect_eq "$(cat public_html/note.txt)" "from-the-container" "container write visible on the host"
w compose down >/dev/null
expect_gone "$bridges" "$WEB_PORT"

# The guide's two `docker run` forms, from inside public_html.
cd public_html
for form in "-v .:/usr/local/apache2/htdocs/" "--mount type=bind,source=./,target=/usr/local/apache2/htdocs/"; do
  port=$(free_port)
  # shellcheck disable=SC2086 # $form is two words on purpose
  w run -d --pull never --name my_site -p "127.0.0.1:$port:80" $form \
    localhost/busybox:latest httpd -f -p 80 -h /usr/local/apache2/htdocs >/dev/null
  expect_contains "$(http_get "http://127.0.0.1:$port/")" "<h1>Edited on the host</h1>" "run $form"
  w rm -f my_site >/dev/null
done
# --mount of a missing source is an error (-v would create it).
set +e
out=$(w run -d --pull never --name my_site --mount type=bind,source=./missing,target=/www localhost/busybox:latest 2>&1)
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "--mount with a missing source succeeded"
expect_contains "$out" "bind source path does not exist" "message for a missing --mount source"
[ ! -e missing ] || fail "--mount created the missing source"
w rm -f my_site >/dev/null 2>&1 || true
expect_gone "" "$port"
echo ok
