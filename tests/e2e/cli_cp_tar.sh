#!/usr/bin/env bash
# cp with tar streams, as Docker's: `cp C:SRC -` writes a tar of SRC to stdout (modes,
# symlinks, owners kept; named after SRC's base name) and `cp - C:DIR` unpacks a tar from
# stdin into a directory (owned by root, with -a by the archive's owners); a destination that is no directory is refused before anything is
# written; an archive cannot write outside DIR nor through the container's symlinks; both
# work on running and stopped containers.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest

w run -d --pull never --name box $img >/dev/null
w exec box sh -c 'mkdir -p /tmp/d/sub && echo hello > /tmp/d/f && chmod 0751 /tmp/d/f && chmod 0700 /tmp/d/sub &&
  ln -s f /tmp/d/link && echo deep > /tmp/d/sub/x && chown 12:34 /tmp/d/sub/x && ln -s / /tmp/escape'

# Out: the listing and the entries' kinds, modes and owners.
listing=$(w cp box:/tmp/d - | tar -tvf - --numeric-owner)
expect_eq "$(w cp box:/tmp/d - | tar -tf - | xargs)" "d/ d/f d/link d/sub/ d/sub/x" "tar listing"
expect_contains "$listing" "-rwxr-x--x 0/0" "file mode in the archive"
expect_contains "$listing" "d/link -> f" "symlink kept as a symlink"
expect_contains "$listing" "drwx------ 0/0" "directory mode"
expect_contains "$listing" "12/34" "owner kept"
mkdir "$E2E_TMP/out"
w cp box:/tmp/d - | tar -x -C "$E2E_TMP/out"
expect_eq "$(cat "$E2E_TMP/out/d/f")" "hello" "file content"
expect_eq "$(stat -c %a "$E2E_TMP/out/d/f")" "751" "mode after extraction"
expect_eq "$(readlink "$E2E_TMP/out/d/link")" "f" "symlink after extraction"
expect_eq "$(w cp box:/tmp/d/. - | tar -tf - | head -1)" "./" "SRC/. names the contents"
expect_eq "$(w cp box:/tmp/d/f - | tar -tf -)" "f" "a single file"

# In: a tar from the host into a directory of the container.
mkdir -p "$E2E_TMP/src/tree/inner"
echo payload > "$E2E_TMP/src/tree/inner/p"
chmod 0604 "$E2E_TMP/src/tree/inner/p"
ln -s inner/p "$E2E_TMP/src/tree/plink"
out=$(tar -c -C "$E2E_TMP/src" tree | w cp - box:/tmp 2>&1)
expect_contains "$out" "Successfully copied" "progress line"
expect_contains "$out" "to box:/tmp" "progress names the destination"
expect_eq "$(w exec box cat /tmp/tree/inner/p)" "payload" "content in the container"
expect_eq "$(w exec box stat -c %a /tmp/tree/inner/p)" "604" "mode in the container"
expect_eq "$(w exec box readlink /tmp/tree/plink)" "inner/p" "symlink in the container"
# Round trip: out of the container and in again, the same listing; the owners only with -a.
w cp box:/tmp/d - | w cp -q - box:/www
expect_eq "$(w exec box sh -c 'cd /www/d && find . | sort | xargs')" ". ./f ./link ./sub ./sub/x" "round trip"
expect_eq "$(w exec box stat -c '%a %u:%g' /www/d/sub/x)" "644 0:0" "round trip without -a: owned by root"
w exec box mkdir /www/a
w cp box:/tmp/d - | w cp -a -q - box:/www/a
expect_eq "$(w exec box stat -c '%a %u:%g' /www/a/d/sub/x)" "644 12:34" "round trip with -a keeps owner"
# A host tar whose entries are 1234:5678: root's inside, the archive's with --archive.
python3 - "$E2E_TMP/owned.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    d = tarfile.TarInfo("od"); d.type = tarfile.DIRTYPE; d.mode = 0o750; d.uid, d.gid = 1234, 5678
    t.addfile(d)
    f = tarfile.TarInfo("od/f"); f.size = 2; f.mode = 0o640; f.uid, f.gid = 1234, 5678
    f.uname = f.gname = "nosuchname"
    t.addfile(f, io.BytesIO(b"ok"))
PY
w exec box mkdir /tmp/own1 /tmp/own2 /tmp/own3
w cp -q - box:/tmp/own1 < "$E2E_TMP/owned.tar"
expect_eq "$(w exec box stat -c '%a %u:%g' /tmp/own1/od /tmp/own1/od/f | xargs)" "750 0:0 640 0:0" "cp - without -a: root's"
w cp -q --archive - box:/tmp/own2 < "$E2E_TMP/owned.tar"
expect_eq "$(w exec box stat -c '%a %u:%g' /tmp/own2/od /tmp/own2/od/f | xargs)" "750 1234:5678 640 1234:5678" "cp -a -: the archive's"
# `C:SRC -` on a symlink: the symlink, with -L what it points to (named after the target).
expect_eq "$(w cp box:/tmp/d/link - | tar -tvf - | awk '{print substr($1,1,1), $(NF-2), $NF}')" "l link f" "a symlink SRC archived as one"
expect_eq "$(w cp -L box:/tmp/d/link - | tar -tvf - | awk '{print substr($1,1,1), $NF}')" "- f" "-L archives the target"

# Errors as Docker's.
set +e
out=$(tar -c -C "$E2E_TMP/src" tree | w cp - box:/etc/passwd 2>&1); rc=$?
expect_eq "$rc" 1 "cp - onto a file"
expect_eq "$out" 'Error: destination "box:/etc/passwd" must be a directory' "onto a file message"
out=$(tar -c -C "$E2E_TMP/src" tree | w cp - box:/nope 2>&1); rc=$?
expect_eq "$rc" 1 "cp - onto a missing path"
expect_eq "$out" 'Error: destination "box:/nope" must be a directory' "missing destination message"
out=$(w cp box:/nope - 2>&1 >/dev/null); rc=$?
expect_eq "$rc" 1 "cp of a missing path to -"
expect_contains "$out" "Could not find the file /nope in container" "missing source message"
# An archive entry through the container's symlink /tmp/escape -> / is refused and the host
# untouched; so is a name with "..".
python3 - "$E2E_TMP/through-link.tar" "$E2E_TMP/dotdot.tar" <<'PY'
import io, sys, tarfile
for path, name in zip(sys.argv[1:], ("escape/root/planted-by-cp", "../../../root/planted-by-cp")):
    with tarfile.open(path, "w") as t:
        info = tarfile.TarInfo(name); info.size = 1
        t.addfile(info, io.BytesIO(b"x"))
PY
out=$(w cp -q - box:/tmp < "$E2E_TMP/through-link.tar" 2>&1); rc=$?
expect_eq "$rc" 1 "an archive writing through a symlink"
expect_eq "$out" 'Error: cp: entry "escape/root/planted-by-cp": Cannot extract through symlink escape/root/planted-by-cp' "through-symlink message"
out=$(w cp -q - box:/tmp < "$E2E_TMP/dotdot.tar" 2>&1); rc=$?
expect_eq "$rc" 1 "an archive with .."
expect_eq "$out" "Error: cp: entry \"../../../root/planted-by-cp\": Path contains '..'" "dotdot message"
out=$(echo garbage | w cp - box:/tmp 2>&1); rc=$?
expect_eq "$rc" 1 "no archive on stdin"
expect_eq "$out" "Error: cp: reading the archive: Unrecognized archive format" "no archive message"
set -e
[ -e /root/planted-by-cp ] && fail "cp - wrote onto the host"
w exec box sh -c '[ ! -e /root/planted-by-cp ]' || fail "cp - wrote through the container symlink"

# A stopped container: out of and into its overlay.
w stop -t 1 box >/dev/null
expect_eq "$(w cp box:/tmp/tree - | tar -tf - | xargs)" "tree/ tree/inner/ tree/inner/p tree/plink" "out of a stopped container"
echo stopped > "$E2E_TMP/src/s"
tar -c -C "$E2E_TMP/src" s | w cp -q - box:/tmp
w cp -q -a - box:/tmp/own3 < "$E2E_TMP/owned.tar"
w start box >/dev/null
expect_eq "$(w exec box cat /tmp/s)" "stopped" "into a stopped container"
expect_eq "$(w exec box stat -c %u:%g /tmp/s)" "0:0" "into a stopped container: root's"
expect_eq "$(w exec box stat -c %u:%g /tmp/own3/od/f)" "1234:5678" "into a stopped container with -a"

w rm -f box >/dev/null
check_no_leaks
echo "cli_cp_tar: ok"
