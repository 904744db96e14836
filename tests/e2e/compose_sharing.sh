# compose services that share with another: volumes_from sees a file another service wrote,
# pid: service:x sees x's processes, ipc: service:x is in x's IPC namespace with its
# /dev/shm; up -V gives a recreated container a fresh anonymous volume (and removes the
# old one); an edited network is recreated with its containers, the cause printed; nothing
# left after down -v.
source "$(dirname "$0")/lib/compose.sh"

dir=$(project_dir share <<'EOF2'
name: e2e-share
services:
  data:
    image: localhost/busybox:latest
    command: ["sh", "-c", "echo written-by-data > /shared/note; echo shm-of-main > /dev/shm/s; exec sleep 300"]
    volumes: ["/shared", "cache:/cache"]
    ipc: shareable
    networks: [front]
  reader:
    image: localhost/busybox:latest
    command: ["sleep", "300"]
    volumes_from: ["data:ro"]
    ipc: "service:data"
    pid: "service:data"
    networks: [front]
  scratch:
    image: localhost/busybox:latest
    command: ["sleep", "300"]
    volumes: ["/scratch"]
    network_mode: none
volumes:
  cache: {}
networks:
  front:
    driver_opts: {com.docker.network.driver.mtu: "1500"}
EOF2
)
E2E_PROJECTS+=("$dir")
cd "$dir"

out=$(w compose up -d --wait --wait-timeout 60 2>&1) || fail "up failed: $out"
bridges=$(root_networks | awk '{print $2}')
# volumes_from: the anonymous and the named volume, read-only.
for _ in $(seq 50); do w exec e2e-share-data-1 test -f /shared/note && break; sleep 0.1; done
expect_eq "$(w exec e2e-share-reader-1 cat /shared/note)" "written-by-data" "file through volumes_from"
w exec e2e-share-data-1 sh -c 'echo named > /cache/n'
expect_eq "$(w exec e2e-share-reader-1 cat /cache/n)" "named" "named volume through volumes_from"
if w exec e2e-share-reader-1 sh -c 'echo x > /shared/y' 2>/dev/null; then fail "volumes_from :ro was writable"; fi
# pid: the reader sees data's sleep as its PID 1.
procs=$(w exec e2e-share-reader-1 ps -o pid,args)
expect_contains "$procs" "1 sleep 300" "ps in the reader"
[ "$(w exec e2e-share-reader-1 cat /proc/1/cmdline | tr '\0' ' ')" = "sleep 300 " ] || fail "reader's PID 1 is not data's: $procs"
# ipc: one namespace and one /dev/shm.
expect_eq "$(w exec e2e-share-reader-1 readlink /proc/self/ns/ipc)" "$(w exec e2e-share-data-1 readlink /proc/self/ns/ipc)" "IPC namespace"
[ "$(w exec e2e-share-scratch-1 readlink /proc/self/ns/ipc)" != "$(w exec e2e-share-data-1 readlink /proc/self/ns/ipc)" ] || fail "scratch shares an IPC namespace it did not ask for"
expect_eq "$(w exec e2e-share-reader-1 cat /dev/shm/s)" "shm-of-main" "/dev/shm through ipc: service:data"

# -V: a fresh anonymous volume, the old one gone; without it the data stays.
w exec e2e-share-scratch-1 sh -c 'echo old > /scratch/m'
vols_before=$(w volume ls -q | sort)
out=$(w compose up -d --force-recreate scratch 2>&1) || fail "force-recreate failed: $out"
expect_eq "$(w exec e2e-share-scratch-1 cat /scratch/m)" "old" "anonymous volume carried over"
out=$(w compose up -d --force-recreate -V scratch 2>&1) || fail "up -V failed: $out"
if w exec e2e-share-scratch-1 test -e /scratch/m; then fail "up -V kept the old anonymous volume"; fi
expect_eq "$(w volume ls -q | sort | wc -l)" "$(wc -l <<<"$vols_before")" "volume count after -V (old one removed)"

# An edited network: recreated with the containers on it, the cause shown; scratch untouched.
scratch_id=$(container_id e2e-share-scratch-1); data_id=$(container_id e2e-share-data-1)
[ "$(w compose up --dry-run)" = "nothing to do" ] || fail "second plan not empty: $(w compose up --dry-run)"
sed -i 's|com.docker.network.driver.mtu: "1500"}|com.docker.network.driver.mtu: "1400"}\n    labels: {tier: front}|' compose.yaml
plan=$(w compose up --dry-run)
expect_contains "$plan" "remove network e2e-share_front (after" "network recreate plan"
expect_contains "$plan" "network front: driver_opts, labels changed" "network recreate cause"
out=$(w compose --progress plain up -d 2>&1) || fail "up after the network edit failed: $out"
expect_contains "$out" "Network e2e-share_front  Removed" "network removed"
expect_contains "$out" "Network e2e-share_front  Recreated (network front: driver_opts, labels changed)" "network created again, saying why"
expect_contains "$out" "Recreated (network front is recreated)" "containers recreated with the cause"
[ "$(container_id e2e-share-data-1)" != "$data_id" ] || fail "data not recreated with its network"
[ "$(container_id e2e-share-scratch-1)" = "$scratch_id" ] || fail "scratch (network_mode none) recreated"
labels=$(w network inspect e2e-share_front --format '{{json .Labels}}')
expect_contains "$labels" '"tier":"front"' "new network labels"
expect_contains "$labels" '"com.docker.compose.config-hash"' "network config hash label"
# Still shared after the recreate.
for _ in $(seq 50); do w exec e2e-share-data-1 test -f /shared/note 2>/dev/null && break; sleep 0.1; done
expect_eq "$(w exec e2e-share-reader-1 cat /shared/note)" "written-by-data" "volumes_from after the recreate"
[ "$(w compose up --dry-run)" = "nothing to do" ] || fail "plan after the network recreate not empty"

out=$(w compose down -v -t 1 2>&1) || fail "down -v failed: $out"
[ -z "$(w volume ls -q)" ] || fail "volumes left: $(w volume ls -q)"
assert_nothing_left "$bridges"
echo "ok"
