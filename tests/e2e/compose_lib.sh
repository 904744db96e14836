# Shared setup of the compose end-to-end tests (sourced, not run): a private state root,
# the busybox fixture image, free ports, and checks that nothing is left behind.
set -euo pipefail
: "${WHARF:?WHARF must point at the wharf binary}"
: "${WHARF_SOURCE_DIR:?}"
if [ "$(id -u)" != 0 ]; then echo "compose e2e tests need root" >&2; exit 1; fi

E2E_TMP=$(mktemp -d /tmp/wharf-compose-e2e-XXXXXX)
export WHARF_ROOT=$E2E_TMP/state WHARF_RUN_ROOT=$E2E_TMP/run
mkdir -p "$WHARF_ROOT" "$WHARF_RUN_ROOT"
E2E_PROJECTS=()    # project dirs to `down -v` at exit
E2E_PIDS=()        # helper processes this test started

e2e_cleanup() {
  local rc=$?
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for dir in "${E2E_PROJECTS[@]}"; do
    (cd "$dir" && "$WHARF" compose down -v -t 1 >/dev/null 2>&1) || true
  done
  # Anything still owned by this root: stop and remove it by ID.
  for id in $("$WHARF" ps -a -q --no-trunc 2>/dev/null); do "$WHARF" rm -f "$id" >/dev/null 2>&1 || true; done
  grep " $E2E_TMP" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$E2E_TMP"
  exit $rc
}
trap e2e_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
check() { local what=$1; shift; "$@" || fail "$what"; }

"$WHARF_SOURCE_DIR/tools/fixtures/busybox-image" "$WHARF" >/dev/null

# A TCP port nobody listens on (random, 20000-45000).
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 25000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
  done
  fail "no free port found"
}

# Makes a project directory $E2E_TMP/<name> with compose.yaml from stdin; prints its path.
project_dir() {
  local dir=$E2E_TMP/$1
  mkdir -p "$dir"
  cat > "$dir/compose.yaml"
  echo "$dir"
}

# Fetches http://127.0.0.1:$1/ (retrying while the proxy comes up); prints the body.
http_get() {
  local i
  for i in $(seq 50); do
    if curl -fsS --max-time 2 "http://127.0.0.1:$1/"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Full ID of the container named exactly $1 ("" when there is none).
container_id() { "$WHARF" ps -a --no-trunc --format '{{.ID}} {{.Names}}' | awk -v n="$1" '$2 == n {print $1}'; }

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
  local bridges=$1
  [ -z "$("$WHARF" ps -a -q)" ] || fail "containers left: $("$WHARF" ps -a)"
  [ -z "$(root_networks)" ] || fail "networks left: $(root_networks)"
  for b in $bridges; do
    if ip link show "$b" >/dev/null 2>&1; then fail "bridge $b left"; fi
  done
  if grep -q " $WHARF_ROOT" /proc/mounts; then fail "mounts left: $(grep " $WHARF_ROOT" /proc/mounts)"; fi
  if pgrep -f -- "--root $WHARF_ROOT __monitor" >/dev/null; then fail "monitor processes left"; fi
}
