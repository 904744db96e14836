#!/usr/bin/env bash
# cp's -a/--archive and -L/--follow-link, as Docker's. Owners: into a container the copies
# are root's (0:0), onto the host the invoking user's; with -a the source's. Modes and times
# are kept either way. -L: a symlink SRC is copied as what it points to (a container's
# resolved inside the container) under SRC's name; without it the symlink itself is copied.
# Also on a stopped container (its overlay mounted privately for the copy).
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest
me="$(id -u):$(id -g)"

w run -d --pull never --name box $img >/dev/null

# Host -> container: a file and a tree owned by 1234:5678.
h=$E2E_TMP/host; mkdir -p "$h/tree/sub"
echo data > "$h/f"; echo deep > "$h/tree/sub/x"
chmod 0640 "$h/f"; touch -d '2001-02-03 04:05:06' "$h/f"
chown 1234:5678 "$h/f"; chown -R 1234:5678 "$h/tree"
w cp -q "$h/f" box:/tmp/plain
expect_eq "$(w exec box stat -c '%u:%g %a %Y' /tmp/plain)" "0:0 640 $(stat -c %Y "$h/f")" "into: root's, mode and time kept"
w cp -q -a "$h/f" box:/tmp/kept
expect_eq "$(w exec box stat -c '%u:%g %a' /tmp/kept)" "1234:5678 640" "into with -a: the source's"
w cp -q "$h/tree" box:/tmp/tree
expect_eq "$(w exec box stat -c %u:%g /tmp/tree /tmp/tree/sub /tmp/tree/sub/x | xargs)" "0:0 0:0 0:0" "a tree into: root's"
w cp -q --archive "$h/tree" box:/tmp/tree-a
expect_eq "$(w exec box stat -c %u:%g /tmp/tree-a /tmp/tree-a/sub/x | xargs)" "1234:5678 1234:5678" "a tree into with -a"

# Container -> host: chowned inside.
w exec box sh -c 'mkdir -p /tmp/o/sub && echo out > /tmp/o/sub/y && echo z > /tmp/o/z && chmod 0604 /tmp/o/z &&
  chown -R 1234:5678 /tmp/o'
w cp -q box:/tmp/o/z "$E2E_TMP/z"
expect_eq "$(stat -c '%u:%g %a' "$E2E_TMP/z")" "$me 604" "out: the invoking user's, mode kept"
w cp -q -a box:/tmp/o/z "$E2E_TMP/z-a"
expect_eq "$(stat -c %u:%g "$E2E_TMP/z-a")" "1234:5678" "out with -a: the source's"
w cp -q box:/tmp/o "$E2E_TMP/o"
expect_eq "$(stat -c %u:%g "$E2E_TMP/o" "$E2E_TMP/o/sub" "$E2E_TMP/o/sub/y" | xargs)" "$me $me $me" "a tree out"
w cp -q -a box:/tmp/o "$E2E_TMP/o-a"
expect_eq "$(stat -c %u:%g "$E2E_TMP/o-a" "$E2E_TMP/o-a/sub/y" | xargs)" "1234:5678 1234:5678" "a tree out with -a"

# -L on container symlinks: absolute, relative, to a directory, a chain.
w exec box sh -c 'echo target > /tmp/t && ln -s /tmp/t /tmp/abs && ln -s t /tmp/rel && ln -s ../tmp/o /tmp/dlink &&
  ln -s rel /tmp/chain'
w cp -q box:/tmp/abs "$E2E_TMP/abs"
expect_eq "$(readlink "$E2E_TMP/abs")" "/tmp/t" "without -L a symlink arrives"
w cp -q -L box:/tmp/abs "$E2E_TMP/abs-L"
[ -f "$E2E_TMP/abs-L" ] && [ ! -L "$E2E_TMP/abs-L" ] || fail "-L: not a regular file"
expect_eq "$(cat "$E2E_TMP/abs-L")" "target" "-L copies the target's content"
mkdir "$E2E_TMP/into"
w cp -q --follow-link box:/tmp/rel "$E2E_TMP/into"
expect_eq "$(cat "$E2E_TMP/into/rel")" "target" "-L on a relative link, named after the link"
w cp -q -L box:/tmp/chain "$E2E_TMP/into"
expect_eq "$(cat "$E2E_TMP/into/chain")" "target" "-L follows a chain"
w cp -q -L box:/tmp/dlink "$E2E_TMP/into"
expect_eq "$(cat "$E2E_TMP/into/dlink/sub/y")" "out" "-L on a link to a directory"
# A link to a host-only path resolves inside the container: not found, the host's unread.
echo host-secret > "$E2E_TMP/secret"
w exec box ln -s "$E2E_TMP/secret" /tmp/tohost
set +e
out=$(w cp -L box:/tmp/tohost "$E2E_TMP/leak" 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "-L on a link leaving the container"
expect_contains "$out" "Could not find the file /tmp/tohost in container" "-L stays inside the container"
[ -e "$E2E_TMP/leak" ] && fail "-L read through a container symlink onto the host"

# -L on host symlinks into the container.
ln -s f "$h/hlink"; ln -s tree "$h/hdlink"
w cp -q "$h/hlink" box:/tmp/
expect_eq "$(w exec box readlink /tmp/hlink)" "f" "a host symlink arrives as a symlink"
w cp -q -L "$h/hlink" box:/tmp/
expect_eq "$(w exec box sh -c '[ -L /tmp/hlink ] || cat /tmp/hlink')" "data" "-L on a host symlink: its target, under its name"
w cp -q -L "$h/hdlink" box:/tmp/
expect_eq "$(w exec box cat /tmp/hdlink/sub/x)" "deep" "-L on a host symlink to a directory"

# A stopped container: owners and -L through its private overlay mount.
w stop -t 1 box >/dev/null
w cp -q box:/tmp/o/z "$E2E_TMP/z-stopped"
expect_eq "$(stat -c %u:%g "$E2E_TMP/z-stopped")" "$me" "out of a stopped container"
w cp -q -a box:/tmp/o/z "$E2E_TMP/z-stopped-a"
expect_eq "$(stat -c %u:%g "$E2E_TMP/z-stopped-a")" "1234:5678" "out of a stopped container with -a"
w cp -q -L box:/tmp/rel "$E2E_TMP/rel-stopped"
expect_eq "$(cat "$E2E_TMP/rel-stopped")" "target" "-L out of a stopped container"
w cp -q "$h/f" box:/tmp/stopped-in
w cp -q -a "$h/f" box:/tmp/stopped-in-a
w start box >/dev/null
expect_eq "$(w exec box stat -c %u:%g /tmp/stopped-in /tmp/stopped-in-a | xargs)" "0:0 1234:5678" "into a stopped container"

w rm -f box >/dev/null
check_no_leaks
echo "cli_cp_flags: ok"
