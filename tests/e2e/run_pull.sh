#!/usr/bin/env bash
# `run`'s --pull policies against a real registry (Debian's docker-registry on 127.0.0.1):
# missing (the default) pulls an absent image and says so, always pulls again, never fails
# with Docker's message; nothing is pulled for a present image.
source "$(dirname "$0")/lib/common.sh"
load_fixture
command -v docker-registry >/dev/null || fail "docker-registry is missing; run tools/setup"
rport=$(free_port)
mkdir -p "$E2E_TMP/registry"
cat >"$E2E_TMP/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $E2E_TMP/registry
http:
  addr: 127.0.0.1:$rport
YML
docker-registry serve "$E2E_TMP/registry.yml" >"$E2E_TMP/registry.log" 2>&1 &
registry_pid=$!
trap 'rc=$?; set +e; kill $registry_pid 2>/dev/null; wait $registry_pid 2>/dev/null; (exit $rc); e2e_cleanup' EXIT
for i in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$rport/v2/" && break; sleep 0.05; done

ref=127.0.0.1:$rport/fixture/busybox:1
w tag localhost/busybox:latest "$ref"
w push "$ref" >/dev/null
w rmi "$ref" >/dev/null

# missing: absent, so pulled (Docker's notice on stderr), then run.
out=$(w run --rm --network none "$ref" echo ran 2>"$E2E_TMP/err")
expect_eq "$out" ran "output of a run that pulled first"
expect_contains "$(cat "$E2E_TMP/err")" "Unable to find image '$ref' locally" "notice before the pull"
expect_contains "$(cat "$E2E_TMP/err")" "Status: Downloaded newer image for $ref" "pull status line"
# missing: present now, so no pull.
w run --rm --network none "$ref" true 2>"$E2E_TMP/err2"
[ ! -s "$E2E_TMP/err2" ] || fail "a present image was pulled again: $(cat "$E2E_TMP/err2")"
# always: asks the registry every time.
w run --rm --network none --pull always "$ref" true 2>"$E2E_TMP/err3"
expect_contains "$(cat "$E2E_TMP/err3")" "Status: Image is up to date for $ref" "--pull always"
# never: an absent image is an error, not a pull.
w rmi "$ref" >/dev/null
set +e
out=$(w run --rm --network none --pull never "$ref" true 2>&1); rc=$?
set -e
expect_eq "$rc" 125 "exit code with --pull never"
expect_contains "$out" "Unable to find image '$ref' locally" "--pull never message"
# A bad policy is a usage error.
set +e
out=$(w run --rm --pull sometimes "$ref" true 2>&1); rc=$?
set -e
expect_eq "$rc" 125 "bad --pull value"
expect_contains "$out" "invalid pull option" "bad --pull message"
check_no_leaks
echo "run_pull: ok"
