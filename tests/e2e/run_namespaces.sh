# wharf run --volumes-from / --ipc / --pid as Docker's: the other container's mounts
# (read-only with :ro), IPC namespace and /dev/shm, PID namespace; host modes; bad values
# and missing containers refused before anything is made; nothing left.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest
w run -d --name src --pull never -v /data -v "$E2E_TMP/bind:/bind" $img \
  sh -c 'echo hi > /data/f; echo b > /bind/f; echo shm > /dev/shm/s; exec sleep 300' >/dev/null
for _ in $(seq 50); do w exec src test -f /dev/shm/s 2>/dev/null && break; sleep 0.1; done

expect_eq "$(w run --rm --pull never --volumes-from src $img cat /data/f /bind/f | tr '\n' ' ')" "hi b " "--volumes-from"
w run --rm --pull never --volumes-from src $img sh -c 'echo rw > /data/g' || fail "--volumes-from without :ro was read-only"
if w run --rm --pull never --volumes-from src:ro $img sh -c 'echo x > /data/h' 2>/dev/null; then fail "--volumes-from :ro was writable"; fi
# rm -v of the inheritor leaves the source's anonymous volume.
vols=$(w volume ls -q | wc -l)
w run --name heir --pull never --volumes-from src $img true
w rm -v heir >/dev/null
expect_eq "$(w volume ls -q | wc -l)" "$vols" "volumes after rm -v of the inheritor"

src_ipc=$(w exec src readlink /proc/self/ns/ipc)
expect_eq "$(w run --rm --pull never --ipc container:src $img readlink /proc/self/ns/ipc)" "$src_ipc" "--ipc container:"
expect_eq "$(w run --rm --pull never --ipc container:src $img cat /dev/shm/s)" "shm" "/dev/shm with --ipc container:"
[ "$(w run --rm --pull never $img readlink /proc/self/ns/ipc)" != "$src_ipc" ] || fail "default IPC namespace is shared"
expect_eq "$(w run --rm --pull never --ipc host $img readlink /proc/self/ns/ipc)" "$(readlink /proc/self/ns/ipc)" "--ipc host"
expect_eq "$(w run --rm --pull never --ipc none $img sh -c 'grep -c " /dev/shm " /proc/mounts || true')" "0" "--ipc none: no /dev/shm"
expect_eq "$(w run --rm --pull never $img sh -c 'grep -c " /dev/shm " /proc/mounts || true')" "1" "default: own /dev/shm"
procs=$(w run --rm --pull never --pid container:src $img ps -o pid,args)
expect_contains "$procs" "1 sleep 300" "--pid container: sees the source's init"
expect_eq "$(w run --rm --pull never --pid host $img readlink /proc/self/ns/pid)" "$(readlink /proc/self/ns/pid)" "--pid host"

out=$(w run --rm --pull never --ipc bogus $img true 2>&1) && fail "--ipc bogus accepted"
expect_contains "$out" "invalid IPC mode: bogus" "--ipc bogus"
out=$(w run --rm --pull never --pid container: $img true 2>&1) && fail "--pid container: accepted"
expect_contains "$out" "invalid PID mode: container:" "--pid container:"
out=$(w run --rm --pull never --volumes-from nosuch $img true 2>&1) && fail "--volumes-from nosuch accepted"
expect_contains "$out" "No such container: nosuch" "--volumes-from nosuch"
w stop -t 0 src >/dev/null
out=$(w run --rm --pull never --pid container:src $img true 2>&1) && fail "joined a stopped container's PID namespace"
expect_contains "$out" "cannot join PID namespace of a non running container: src" "--pid of a stopped container"
w rm -v src >/dev/null
expect_eq "$(w volume ls -q | wc -l | tr -d ' ')" "0" "volumes left"
check_no_leaks
echo "ok"
