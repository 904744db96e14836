#!/usr/bin/env bash
# "What is a registry?", walked against a registry of your own instead of Docker Hub:
# Debian's docker-registry on 127.0.0.1 (started here, storage in a temporary directory, gone
# at the end). Build an image, run it, tag it, push it, remove it, pull it back, run it again.
# Each command is printed before it runs, as you would type it.
#
#   usage: examples/registry/walk.sh
#   env:   WHARF          the wharf binary (default: build/bin/wharf of this checkout, else `wharf`)
#          REGISTRY_PORT  port of the registry on 127.0.0.1 (default 5000)
#          WEB_PORT       host port for the app (default 8080)
#          KEEP=1         leave the last container and the registry running (prints how to stop them)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wharf=${WHARF:-}
if [ -z "$wharf" ]; then
  if [ -x "$here/../../build/bin/wharf" ]; then wharf="$here/../../build/bin/wharf"; else wharf=wharf; fi
fi
registry_port=${REGISTRY_PORT:-5000}
web_port=${WEB_PORT:-8080}
registry=127.0.0.1:$registry_port
repo=$registry/docker-quickstart

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
say() { printf '\n%s%s%s\n' "$bold" "$*" "$plain"; }
run() { printf '$ %s\n' "${*/#$wharf/wharf}"; "$@"; }
die() { echo "walk.sh: $*" >&2; exit 1; }
# wait_http URL: waits up to 10 s for a 200 on URL.
wait_http() {
  local i
  for i in $(seq 1 100); do
    curl -fs --max-time 1 -o /dev/null "$1" && return 0
    sleep 0.1
  done
  return 1
}

command -v docker-registry >/dev/null || die "docker-registry is missing; run tools/setup"
if curl -s --max-time 1 -o /dev/null "http://$registry/"; then
  die "something already listens on $registry; set REGISTRY_PORT to a free port"
fi
"$here/../../tools/fixtures/busybox-image" "$wharf" # the base image of app/Dockerfile

state=$(mktemp -d "${TMPDIR:-/tmp}/wharf-registry-XXXXXX")
registry_pid=
cleanup() {
  local rc=$?
  set +e
  if [ "${KEEP:-}" != 1 ]; then
    "$wharf" rm -f quickstart >/dev/null 2>&1
    [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
    rm -rf "$state"
  fi
  exit $rc
}
trap cleanup EXIT

say "0. Run a registry on $registry (Docker Hub's role in the guide)"
cat >"$state/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $state/storage
  delete:
    enabled: true
http:
  addr: $registry
YAML
printf '$ docker-registry serve config.yml   # storage in %s\n' "$state/storage"
docker-registry serve "$state/config.yml" >"$state/registry.log" 2>&1 &
registry_pid=$!
wait_http "http://$registry/v2/" || { cat "$state/registry.log" >&2; die "the registry did not come up on $registry"; }

say "1. Build the image (in examples/registry/app, where its Dockerfile is)"
(cd "$here/app" && run "$wharf" build -t "$repo" .)

say "2. List it"
run "$wharf" images "$repo"

say "3. Run it and open http://localhost:$web_port"
run "$wharf" run -d --name quickstart -p "$web_port:8080" "$repo"
wait_http "http://127.0.0.1:$web_port/" || die "the app does not answer on port $web_port"
run curl -s "http://localhost:$web_port/"

say "4. Tag it with a version"
run "$wharf" tag "$repo" "$repo:1.0"

say "5. Push it to the registry"
run "$wharf" push "$repo:1.0"
say "   The registry now lists the tag (Docker Hub's Tags page):"
run curl -s "http://$registry/v2/docker-quickstart/tags/list"
echo

say "6. Remove the container and both tags: nothing of it is left on this machine"
run "$wharf" rm -f quickstart
run "$wharf" rmi "$repo:1.0" "$repo"

say "7. Pull it back from the registry"
run "$wharf" pull "$repo:1.0"

say "8. Run what was pulled"
run "$wharf" run -d --name quickstart -p "$web_port:8080" "$repo:1.0"
wait_http "http://127.0.0.1:$web_port/" || die "the pulled app does not answer on port $web_port"
run curl -s "http://localhost:$web_port/"

if [ "${KEEP:-}" = 1 ]; then
  say "Left running: container quickstart on http://localhost:$web_port, the registry on $registry (pid $registry_pid)."
  echo "Stop them with: $wharf rm -f quickstart; kill $registry_pid; rm -rf $state"
else
  say "Done: the container and the registry are removed on exit."
fi
