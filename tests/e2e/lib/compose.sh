# Compose additions to lib/common.sh (sourced, not run): project directories that are taken
# `down -v` at exit, container lookups by name, and a check that a project left nothing.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ "$(id -u)" != 0 ]; then echo "compose e2e tests need root" >&2; exit 1; fi
E2E_PROJECTS=()    # project dirs to `down -v` at exit
E2E_PIDS=()        # helper processes this test started

compose_cleanup() {
  local rc=$? pid dir
  set +e
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for dir in "${E2E_PROJECTS[@]}"; do
    (cd "$dir" && w compose down -v -t 1 >/dev/null 2>&1)
  done
  (exit $rc)
  e2e_cleanup
}
trap compose_cleanup EXIT
load_fixture

# Debian's docker-registry on 127.0.0.1:$rport (a free port), storing under $E2E_TMP and
# stopped at exit.
start_registry() {
  command -v docker-registry >/dev/null || fail "docker-registry is missing; run tools/setup"
  rport=$(free_port)
  mkdir -p "$E2E_TMP/registry"
  cat > "$E2E_TMP/registry/config.yml" <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $E2E_TMP/registry/storage}}
http: {addr: 127.0.0.1:$rport}
YAML
  docker-registry serve "$E2E_TMP/registry/config.yml" > "$E2E_TMP/registry/log" 2>&1 &
  E2E_PIDS+=($!)
  http_get "http://127.0.0.1:$rport/v2/" >/dev/null || fail "registry did not come up: $(cat "$E2E_TMP/registry/log")"
}

# Makes a project directory $E2E_TMP/<name> with compose.yaml from stdin; prints its path.
project_dir() {
  local dir=$E2E_TMP/$1
  mkdir -p "$dir"
  cat > "$dir/compose.yaml"
  echo "$dir"
}

# Full ID of the container named exactly $1 ("" when there is none).
container_id() { w ps -a --no-trunc --format '{{.ID}} {{.Names}}' | awk -v n="$1" '$2 == n {print $1}'; }

# A field of a container's stored record ("State.StartedAt", "State.Health.Status").
container_field() {
  local id
  id=$(container_id "$1")
  [ -n "$id" ] || return 1
  python3 - "$WHARF_ROOT/containers/$id/config.json" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
print(v)
PY
}

# Networks of this root besides the predefined ones, as "name bridge" lines.
root_networks() {
  python3 - "$WHARF_ROOT/networks" <<'PY'
import json, os, sys
d = sys.argv[1]
for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
    if f.endswith(".json"):
        n = json.load(open(os.path.join(d, f)))
        if n.get("Name") not in ("bridge", "host", "none"):
            print(n.get("Name"), n.get("Bridge", ""))
PY
}

# Nothing of this root left: no containers, no project networks, none of the bridges given
# (recorded while the project was up), no mounts under the root, no monitor processes.
assert_nothing_left() {
  local bridges=$1 b
  [ -z "$(w ps -a -q)" ] || fail "containers left: $(w ps -a)"
  [ -z "$(root_networks)" ] || fail "networks left: $(root_networks)"
  for b in $bridges; do
    if ip link show "$b" >/dev/null 2>&1; then fail "bridge $b left"; fi
  done
  if grep -q " $WHARF_ROOT" /proc/mounts; then fail "mounts left: $(grep " $WHARF_ROOT" /proc/mounts)"; fi
  if pgrep -f -- "wharf-monitor $WHARF_ROOT " >/dev/null; then fail "monitor processes left"; fi
  check_no_leaks
}
