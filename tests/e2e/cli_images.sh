#!/usr/bin/env bash
# The image verbs on the busybox fixture: images/image ls (table, -q, --digests, --no-trunc,
# filters, --format json/template), image history, tag, rmi (in-use refused, -f untags),
# image prune (dangling, -a) freeing the layers.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest
id=$(w images -q $img)
expect_eq "${#id}" 12 "images -q prints a short ID"
full=$(w images --no-trunc --format '{{.ID}}' $img)
expect_eq "${full:0:19}" "sha256:$id" "--no-trunc ID"

# The table: Docker's header and one row per tag.
out=$(w images)
# (column widths follow the CREATED text, which changes with time)
expect_eq "$(echo "$out" | head -1 | tr -s ' ')" "REPOSITORY TAG IMAGE ID CREATED SIZE" "images header"
expect_eq "$(echo "$out" | head -1 | cut -c1-38)" "REPOSITORY          TAG       IMAGE ID" "images header alignment"
echo "$out" | grep -Eq "^localhost/busybox   latest    $id   .* ago +[0-9.]+[kM]?B$" || fail "images row: $out"

w tag $img localhost/other:v1
w image tag localhost/other:v1 localhost/other:v2
expect_eq "$(w images --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ')" \
  "localhost/busybox:latest localhost/other:v1 localhost/other:v2 " "rows after tag"
expect_eq "$(w images -q | wc -l)" 1 "-q lists an image once"
expect_eq "$(w images localhost/other --format '{{.Tag}}' | tr '\n' ' ')" "v1 v2 " "REPOSITORY argument"
expect_eq "$(w images --filter reference='localhost/oth*:v2' --format '{{.Tag}}')" "v2" "reference filter"
expect_eq "$(w images --filter dangling=true -q)" "" "no dangling image yet"
expect_contains "$(w images --digests | head -1)" "DIGEST" "--digests column"
w images --format json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert len(rows) == 3, rows
for r in rows:
    assert set(r) >= {"ID", "Repository", "Tag", "CreatedSince", "Size", "Digest"}, r
' || fail "images --format json"

# History: the fixture is one imported layer.
h=$(w image history $img)
expect_eq "$(echo "$h" | head -1 | tr -s ' ')" "IMAGE CREATED CREATED BY SIZE COMMENT" "history header"
expect_contains "$(echo "$h" | sed -n 2p)" "$id" "history top row has the image ID"
expect_eq "$(w history -q $img)" "$id" "history -q"
expect_eq "$(w history --human=false --format '{{.Size}}' $img)" \
  "$(w image inspect -f '{{.Size}}' $img)" "history --human=false size in bytes"

# rmi: a tag among several is only untagged; an image a container uses is refused.
expect_eq "$(w rmi localhost/other:v2)" "Untagged: localhost/other:v2" "rmi of one tag"
w create --pull never --name holder --network none $img true >/dev/null
set +e
out=$(w rmi localhost/other:v1 $id 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "rmi exit code when one image fails"
expect_contains "$out" "Untagged: localhost/other:v1" "rmi of the other tag"
expect_contains "$out" "image is being used by container" "rmi of a used image by ID"
expect_eq "$(w rmi -f $img)" "Untagged: localhost/busybox:latest" "rmi -f of a used image only untags"
expect_eq "$(w images --filter dangling=true -q)" "$id" "now dangling"
expect_eq "$(w images --format '{{.Repository}}:{{.Tag}}')" "<none>:<none>" "dangling row"
# Prune keeps what a container uses.
expect_eq "$(w image prune -f)" "Total reclaimed space: 0B" "prune of a used dangling image"
w rm holder >/dev/null

# Prune: confirmation refused, then forced.
set +e
echo n | w image prune >/dev/null 2>&1; rc=$?
set -e
expect_eq "$rc" 1 "prune answered no"
expect_eq "$(w images -q)" "$id" "nothing removed when answered no"
out=$(echo y | w image prune)
expect_contains "$out" "Deleted Images:" "prune report"
expect_contains "$out" "deleted: sha256:" "prune deleted lines"
echo "$out" | grep -Eq '^Total reclaimed space: [0-9.]+[kM]B$' || fail "reclaimed space: $out"
expect_eq "$(w images -q)" "" "no image left"
expect_eq "$(ls "$WHARF_ROOT/image/layers" | wc -l)" 0 "layers freed"

# -a removes tagged but unused images too.
load_fixture
w tag $img localhost/again:v1
out=$(w image prune -a -f)
expect_contains "$out" "untagged: localhost/again:v1" "prune -a untags"
expect_eq "$(w images -q)" "" "prune -a removed the unused image"

set +e
out=$(w rmi localhost/nope 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "rmi of a missing image"
expect_eq "$out" "Error: No such image: localhost/nope:latest" "rmi message"
check_no_leaks
echo "cli_images: ok"
