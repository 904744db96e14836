#!/usr/bin/env bash
# examples/app, the three-tier stack: images built by `compose up` from the debootstrap base
# (Debian's python3, psycopg2 and postgresql-15 installed by apt-get in the builds), the API
# started only once the database is healthy and reaching it by its service name, a note
# written through the API and read back after down/up (the named volume keeps it) and gone
# after down -v; the frontend checked in headless Chromium (build/artifacts/app.png).
#
# Needs the Debian mirror (debootstrap on the first run, apt-get in every fresh build): it
# fails, saying why, when the mirror is unreachable (CI and this machine reach it). Prints the
# cold time (base image, image builds, start-up) and the warm one (images built, to ready).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/examples.sh"
source "$(dirname "$0")/lib/browser.sh"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if ! curl -fsS --max-time 10 -o /dev/null "$mirror/dists/bookworm/Release"; then
  fail "the Debian mirror $mirror is unreachable; examples/app's images install packages from it"
fi

# json EXPR: evaluates a Python expression over the JSON document `d` read from stdin.
json() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

t_cold=$(now)
if "$WHARF_SOURCE_DIR/tools/fixtures/debian-base" --cached; then base=cached; else base=debootstrap; fi
"$WHARF_SOURCE_DIR/tools/fixtures/debian-base" "$WHARF"
timing app "base image localhost/debian:bookworm ($base)" "$t_cold"

cd "$(example_copy app)"
export WEB_PORT
WEB_PORT=$(free_port)
api=http://127.0.0.1:$WEB_PORT/api

t0=$(now)
if ! out=$(w compose up -d --wait --wait-timeout 900 2>&1); then
  echo "$out" | tail -n 40 >&2
  w compose logs 2>&1 | tail -n 40 >&2 || true
  fail "compose up (with builds) failed"
fi
timing app "image builds and start-up to ready (compose up --wait, cold)" "$t0"
timing app "cold first run in all (base image, builds, start-up)" "$t_cold"
bridges=$(root_bridges)

ps=$(w compose ps)
for s in frontend api db; do
  grep -E "app-$s-1 .*\(healthy\)" <<<"$ps" >/dev/null || fail "$s is not healthy after --wait: $ps"
done
# Only the frontend is published; the API and the database are reachable on the project network.
expect_eq "$(w compose port frontend 8080)" "0.0.0.0:$WEB_PORT" "the frontend's published port"
if w compose port db 5432 >/dev/null 2>&1; then fail "the database is published on the host"; fi

# The API reaches the database as `db`, resolved by wharf's DNS.
health=$(http_get "$api/health") || fail "GET /api/health through the frontend failed"
expect_eq "$(json 'd["status"]' <<<"$health")" ok "API health"
expect_eq "$(json 'd["database"]["host"]' <<<"$health")" db "the API's database host"
expect_contains "$(json 'd["database"]["server"]' <<<"$health")" "PostgreSQL 15." "the database server"
# depends_on: condition: service_healthy — the API started against a database that already
# accepted connections, so it never had to wait for it.
if w compose logs api 2>&1 | grep -q "waiting for the database"; then
  fail "the API started before the database was healthy: $(w compose logs api 2>&1 | tail -n 5)"
fi
expect_contains "$(w compose logs db 2>&1)" "initialised /var/lib/postgresql/data" "db initialised its volume on first start"
expect_eq "$(w compose exec -T db stat -c %U /proc/1)" postgres "the server (PID 1) runs as user postgres"

# Bad input is refused with a message.
code=$(curl -s -o "$E2E_TMP/bad.json" -w '%{http_code}' -H 'Content-Type: application/json' -d '{}' "$api/notes")
expect_eq "$code" 400 "POST /api/notes without text"
expect_contains "$(cat "$E2E_TMP/bad.json")" "non-empty text" "message for a note without text"

# Write a note through the API (via the frontend's /api/ forward), read it back.
text="written by example_app.sh $RANDOM$RANDOM"
created=$(curl -fsS -H 'Content-Type: application/json' -d "{\"text\": \"$text\"}" "$api/notes") \
  || fail "POST /api/notes failed"
id=$(json 'd["id"]' <<<"$created")
expect_eq "$(http_get "$api/notes" | json '[n["text"] for n in d if n["id"] == '"$id"'][0]')" "$text" "the note read back"

# The frontend in a browser: its script fetched the health line and the notes.
dom=$(browser_open "http://127.0.0.1:$WEB_PORT/" app)
expect_contains "$dom" "<h1>Notes</h1>" "frontend heading"
expect_contains "$dom" "API ok · PostgreSQL 15." "health line rendered from /api/health"
expect_contains "$dom" "$text" "the note rendered from /api/notes"
echo "screenshot: $ARTIFACTS/app.png"

# down keeps the named volume; up again (images built: the warm path) still has the note.
w compose down >/dev/null
expect_gone "$bridges" "$WEB_PORT"
expect_contains "$(w volume ls --format '{{.Name}}')" "app_pgdata" "down keeps the volume"
t0=$(now)
w compose up -d --wait >/dev/null
timing app "warm cache to ready (compose up --wait, images built)" "$t0"
bridges=$(root_bridges)
expect_eq "$(http_get "$api/notes" | json '[n["text"] for n in d if n["id"] == '"$id"'][0]')" "$text" \
  "the note after down/up"
initialised=$(w compose logs db 2>&1 | grep -c "initialised /var/lib/postgresql/data" || true)
expect_eq "$initialised" 0 "db did not initialise again over the kept volume"

# down -v removes the volume: the next up starts with an empty database.
w compose down -v >/dev/null
expect_gone "$bridges" "$WEB_PORT"
if w volume ls --format '{{.Name}}' | grep -qx app_pgdata; then fail "down -v left the volume app_pgdata"; fi
w compose up -d --wait >/dev/null
bridges=$(root_bridges)
expect_eq "$(http_get "$api/notes")" "[]" "no notes after down -v"
w compose down -v >/dev/null
expect_gone "$bridges" "$WEB_PORT"
echo ok
