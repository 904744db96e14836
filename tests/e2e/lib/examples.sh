# Helpers for the tests of examples/ (sourced after common.sh): a private copy of an example
# to bring up and edit, timings, and the checks that a project left nothing behind.
: "${ARTIFACTS:=${WHARF_BUILD_DIR:-$WHARF_SOURCE_DIR/build}/artifacts}"

# example_copy NAME: copies examples/NAME to $E2E_TMP/NAME (the test may edit its files);
# prints the path. Registers a `compose down -v` of it for the exit trap.
EXAMPLE_DIRS=()
example_copy() {
  local dst=$E2E_TMP/$1
  cp -a "$WHARF_SOURCE_DIR/examples/$1" "$dst"
  EXAMPLE_DIRS+=("$dst")
  echo "$dst"
}

# Brings down every copied project before common.sh's trap removes what is left.
example_cleanup() {
  local d
  for d in "${EXAMPLE_DIRS[@]}"; do
    (cd "$d" && w compose down -v -t 1 >/dev/null 2>&1) || true
  done
}
# common.sh's e2e_cleanup exits with the status it finds in $?: hand it the script's own.
trap 'example_rc=$?; set +e; example_cleanup; (exit $example_rc); e2e_cleanup' EXIT

# Seconds since the epoch, to the microsecond.
now() { echo "$EPOCHREALTIME"; }
# timing EXAMPLE WHAT START: prints and records "timing: EXAMPLE: WHAT: N.NN s".
timing() {
  local line
  line=$(printf 'timing: %s: %s: %.2f s' "$1" "$2" "$(awk -v a="$(now)" -v b="$3" 'BEGIN { print a - b }')")
  echo "$line"
  mkdir -p "$ARTIFACTS"
  echo "$(date -u +%FT%TZ) $line" >>"$ARTIFACTS/example-timings.txt"
}

# Bridges of this root's networks but the predefined `bridge` (which stays), for checking
# later that down removed them.
root_bridges() {
  python3 - "$WHARF_ROOT/networks" <<'PY'
import glob, json, sys
for f in sorted(glob.glob(sys.argv[1] + "/*.json")):
    n = json.load(open(f))
    if n.get("Name") not in ("bridge", "host", "none") and n.get("Bridge"):
        print(n["Bridge"])
PY
}

# listening PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# expect_gone BRIDGES PORT...: after `down`: no containers, mounts or monitors of this root
# (check_no_leaks), no project network, none of BRIDGES, nothing listening on the PORTs.
expect_gone() {
  local bridges=$1 b p nets
  shift
  check_no_leaks
  nets=$(w network ls --format '{{.Name}}' 2>/dev/null | grep -vxE 'bridge|host|none' || true)
  [ -z "$nets" ] || fail "networks left: $nets"
  for b in $bridges; do
    if ip link show "$b" >/dev/null 2>&1; then fail "bridge $b left"; fi
  done
  for p in "$@"; do
    if listening "$p"; then fail "port $p still listens after down"; fi
  done
}

