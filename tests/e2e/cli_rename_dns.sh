#!/usr/bin/env bash
# rename of a running container on a user network: its peers resolve the new name at once
# (the embedded DNS re-reads the rewritten endpoint) and no longer the old one; the name
# sticks across a restart (the endpoints are attached anew under the record's name).
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest

w network create renamenet >/dev/null
w run -d --pull never --name old --network renamenet $img >/dev/null
w run -d --pull never --name peer --network renamenet $img >/dev/null
ip=$(w inspect -f '{{.NetworkSettings.Networks.renamenet.IPAddress}}' old)
expect_contains "$(w exec peer nslookup old 127.0.0.11)" "Address: $ip" "old name before rename"

w rename old new
expect_contains "$(w exec peer nslookup new 127.0.0.11)" "Address: $ip" "new name after rename"
w exec peer ping -c1 -W2 new >/dev/null || fail "ping of the new name"
set +e
out=$(w exec peer nslookup old 127.0.0.11 2>&1); rc=$?
w exec peer ping -c1 -W2 old >/dev/null 2>&1; prc=$?
set -e
[ "$rc" != 0 ] || fail "old name still resolves after rename: $out"
expect_contains "$out" "NXDOMAIN" "old name is NXDOMAIN"
[ "$prc" != 0 ] || fail "ping of the old name succeeded"
expect_eq "$(w network inspect -f '{{range .Containers}}{{.Name}} {{end}}' renamenet | tr ' ' '\n' | sort | xargs)" \
  "new peer" "network inspect shows the new name"

# A reverse lookup names the new container too.
expect_contains "$(w exec peer nslookup "$ip" 127.0.0.11)" "new" "PTR after rename"

# Stopped and started again: it joins under the new name.
w stop -t 1 new >/dev/null
w start new >/dev/null
ip=$(w inspect -f '{{.NetworkSettings.Networks.renamenet.IPAddress}}' new)
expect_contains "$(w exec peer nslookup new 127.0.0.11)" "Address: $ip" "new name after restart"

w rm -f new peer >/dev/null
w network rm renamenet >/dev/null
check_no_leaks
echo "cli_rename_dns: ok"
