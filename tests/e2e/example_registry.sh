#!/usr/bin/env bash
# examples/registry/walk.sh, the "What is a registry?" walk against Debian's docker-registry on
# 127.0.0.1: build, run, tag, push, remove, pull back, run. Checks what each step shows and
# that the registry and containers are gone at the end.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/examples.sh"
load_fixture
export REGISTRY_PORT WEB_PORT WHARF
REGISTRY_PORT=$(free_port)
WEB_PORT=$(free_port)
repo=127.0.0.1:$REGISTRY_PORT/docker-quickstart

t0=$(now)
out=$("$WHARF_SOURCE_DIR/examples/registry/walk.sh" 2>&1) || { echo "$out" >&2; fail "walk.sh failed"; }
timing registry "the whole walk (build, run, tag, push, rm, pull, run)" "$t0"
echo "$out"

expect_contains "$out" '$ wharf build -t '"$repo ." "the walk shows its commands"
expect_contains "$out" '{"name":"docker-quickstart","tags":["1.0"]}' "the registry lists the pushed tag"
pages=$(grep -c "<h1>Hello from docker-quickstart!</h1>" <<<"$out" || true)
expect_eq "$pages" 2 "the page served by the built and by the pulled image"
expect_contains "$out" "$repo" "images lists the built image"

# What is left: the pulled image (and only it), no container, no registry.
w image inspect "$repo:1.0" >/dev/null || fail "the pulled image is not in the store"
if w image inspect "$repo:latest" >/dev/null 2>&1; then fail "$repo:latest is back, but only 1.0 was pulled"; fi
expect_gone "" "$REGISTRY_PORT" "$WEB_PORT"
echo ok
