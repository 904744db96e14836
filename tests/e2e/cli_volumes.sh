#!/usr/bin/env bash
# The volume verbs: create (named, random name, labels), ls (table, -q, filters, --format),
# inspect, rm refusing a volume a container uses, prune (anonymous only, then -a) with the
# space reclaimed.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest

expect_eq "$(w volume create data)" "data" "create prints the name"
expect_eq "$(w volume create data)" "data" "create of an existing volume"
anon=$(w volume create --label tier=db)
[[ "$anon" =~ ^[0-9a-f]{64}$ ]] || fail "random volume name: $anon"
out=$(w volume ls)
expect_eq "$(echo "$out" | head -1)" "DRIVER    VOLUME NAME" "ls header"
expect_contains "$out" "local     data" "ls row"
expect_eq "$(w volume ls -q --filter label=tier=db)" "$anon" "label filter"
expect_eq "$(w volume ls -q --filter name=dat)" "data" "name filter"
expect_eq "$(w volume ls --format '{{.Name}} {{.Driver}}' --filter name=data)" "data local" "template"
expect_eq "$(w volume inspect -f '{{.Mountpoint}}' data)" "$WHARF_ROOT/volumes/data/_data" "inspect mountpoint"
expect_eq "$(w volume inspect data | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Name"])')" "data" "inspect JSON"

# A container using the volume (even stopped) keeps it.
w run --pull never --network none --name user -v data:/data $img sh -c 'head -c 5000 /dev/zero > /data/f'
expect_eq "$(w volume ls -q --filter dangling=true)" "$anon" "dangling filter"
set +e
out=$(w volume rm data 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "rm of a used volume"
cid=$(w inspect -f '{{.Id}}' user)
expect_eq "$out" "Error: remove data: volume is in use - [$cid]" "in-use message"
set +e
out=$(w volume rm nope 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "rm of a missing volume"
expect_eq "$out" "Error: get nope: no such volume" "missing volume message"
w volume rm -f nope

# An anonymous volume (-v /path) is what plain prune removes.
w run --pull never --network none --name anonuser -v /scratch $img sh -c 'head -c 2000 /dev/zero > /scratch/f'
w rm anonuser >/dev/null
expect_eq "$(w volume ls -q --filter label=com.docker.volume.anonymous | wc -l)" 1 "anonymous volume made"
out=$(w volume prune -f)
expect_contains "$out" "Deleted Volumes:" "prune report"
expect_contains "$out" "Total reclaimed space: 2kB" "prune reclaimed the anonymous volume's bytes"
expect_eq "$(w volume ls -q | sort | tr '\n' ' ')" "$(printf '%s\n' "$anon" data | sort | tr '\n' ' ')" "named volumes kept"

w rm user >/dev/null
expect_eq "$(w volume rm data)" "data" "rm once unused"
out=$(w volume prune -a -f)
expect_contains "$out" "$anon" "prune -a removes unused named volumes"
expect_eq "$(w volume ls -q)" "" "no volume left"
check_no_leaks
echo "cli_volumes: ok"
