# Shared set-up for the end-to-end scripts (sourced, not run): a private state root, the
# busybox fixture image in it, assertions, and a trap that removes every container the
# script made and checks that nothing leaked.
#   WHARF            the binary under test (set by ctest; defaults to build/bin/wharf)
#   WHARF_SOURCE_DIR the repository
set -euo pipefail
: "${WHARF_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}"
: "${WHARF:=$WHARF_SOURCE_DIR/build/bin/wharf}"
E2E_TMP=$(mktemp -d /tmp/wharf-e2e-XXXXXX)
export WHARF_ROOT=$E2E_TMP/root WHARF_RUN_ROOT=$E2E_TMP/run
mkdir -p "$WHARF_ROOT" "$WHARF_RUN_ROOT"
w() { "$WHARF" "$@"; }
source "$WHARF_SOURCE_DIR/tests/e2e/lib/bridges.sh"

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() { case "$1" in *"$2"*) ;; *) fail "$3: '$2' not in: $1" ;; esac; }
# A TCP port nothing listens on right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# http_get URL: body, retrying while the server comes up (2 s).
http_get() {
  local i
  for i in $(seq 1 40); do
    if curl -fsS --max-time 2 "$1" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

# Nothing of this root is left: no containers, monitors, mounts, veths of its bridges.
check_no_leaks() {
  local left
  left=$(w ps -aq 2>/dev/null || true)
  [ -z "$left" ] || fail "containers left: $left"
  if grep -q "$E2E_TMP" /proc/self/mountinfo; then fail "mounts left under $E2E_TMP"; fi
  if pgrep -af "wharf-monitor" | grep -q "$E2E_TMP"; then
    fail "monitor processes left"
  fi
}

e2e_cleanup() {
  local rc=$?
  set +e
  for id in $(w ps -aq 2>/dev/null); do w rm -f "$id" >/dev/null 2>&1; done
  for n in $(w network ls -q 2>/dev/null); do w network rm "$n" >/dev/null 2>&1; done
  remove_root_bridges "$WHARF_ROOT"
  umount -R "$E2E_TMP" 2>/dev/null
  rm -rf "$E2E_TMP"
  exit $rc
}
trap e2e_cleanup EXIT

load_fixture() { "$WHARF_SOURCE_DIR/tools/fixtures/busybox-image" "$WHARF" >/dev/null; }
