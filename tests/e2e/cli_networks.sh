#!/usr/bin/env bash
# The network verbs: create (auto subnet; --subnet/--gateway/--label/--internal), ls (table,
# -q, filters, --format), inspect (IPAM, attached containers), rm refusing attached
# networks, connect/disconnect of running (at once) and stopped (at start) containers, prune.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest

id=$(w network create --label app=shop front)
[[ "$id" =~ ^[0-9a-f]{64}$ ]] || fail "create prints the ID: $id"
# A /24 no route on this machine uses, for --subnet.
octet=$(python3 -c '
import random, subprocess
routes = subprocess.run(["ip", "-4", "route"], capture_output=True, text=True).stdout
for _ in range(200):
    o = random.randint(1, 254)
    if "10.213.%d." % o not in routes:
        print(o); break')
w network create --subnet 10.213.$octet.0/24 --gateway 10.213.$octet.254 --internal back >/dev/null

out=$(w network ls)
expect_eq "$(echo "$out" | head -1)" "NETWORK ID     NAME      DRIVER    SCOPE" "ls header"
expect_contains "$out" "${id:0:12}   front     bridge    local" "ls row"
expect_eq "$(w network ls --filter type=custom --format '{{.Name}}' | tr '\n' ' ')" "back front " "custom networks"
expect_eq "$(w network ls -q --no-trunc --filter label=app=shop)" "$id" "label filter, --no-trunc"
expect_eq "$(w network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.Internal}}' back)" \
  "10.213.$octet.0/24 10.213.$octet.254 true" "inspect IPAM"
set +e
out=$(w network create front 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "duplicate name"
expect_eq "$out" "Error: network with name front already exists" "duplicate message"

# A running container is attached: inspect lists it, rm refuses.
w run -d --pull never --name web --network front $img >/dev/null
cid=$(w inspect -f '{{.Id}}' web)
expect_eq "$(w network inspect -f "{{range .Containers}}{{.Name}}{{end}}" front)" "web" "attached container"
set +e
out=$(w network rm front 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "rm of an attached network"
expect_contains "$out" "has active endpoints" "rm message"

# connect of a running container: a second interface at once, its name and alias resolvable
# from a container on that network, and reachable there.
w run -d --pull never --name client --network back $img >/dev/null
w network connect --alias api back web
expect_eq "$(w exec web sh -c 'ip -o -4 addr show eth1' | awk '{print $4}' | cut -d/ -f1)"   "$(w inspect -f '{{.NetworkSettings.Networks.back.IPAddress}}' web)" "eth1 carries the address on back"
webip=$(w inspect -f '{{.NetworkSettings.Networks.back.IPAddress}}' web)
expect_contains "$(w exec client nslookup web 127.0.0.11)" "Address: $webip" "name on the joined network"
expect_contains "$(w exec client nslookup api 127.0.0.11)" "Address: $webip" "alias on the joined network"
expect_contains "$(w exec client sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 2 $webip 80")" "Welcome to wharf"   "reachable on the joined network"
set +e
out=$(w network connect back web 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "connect twice"
expect_contains "$out" "already exists in network back" "connect twice message"
w network disconnect back web
expect_eq "$(w exec web sh -c 'ip -o link' | grep -c eth1 || true)" 0 "eth1 gone after disconnect"
expect_eq "$(w network inspect -f '{{range .Containers}}{{.Name}} {{end}}' back)" "client " "only client left on back"
w rm -f client >/dev/null

# A stopped container's networks change in its configuration; it joins both at start.
w stop -t 1 web >/dev/null
w network connect back web
w start web >/dev/null
expect_eq "$(w network inspect -f '{{range .Containers}}{{.Name}}{{end}}' back)" "web" "joined back at start"
w stop -t 1 web >/dev/null
w network disconnect back web
set +e
out=$(w network disconnect back web 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "disconnect twice"
expect_contains "$out" "is not connected to network back" "disconnect message"

# prune keeps a network a (stopped) container is configured for; removes the other.
out=$(w network prune -f)
expect_eq "$out" "$(printf 'Deleted Networks:\nback\n')" "prune report"
expect_eq "$(w network ls -q --filter type=custom)" "${id:0:12}" "front kept for web"
w rm web >/dev/null
expect_eq "$(w network rm front)" "front" "rm prints the name"
ip link show "wh-${id:0:12}" >/dev/null 2>&1 && fail "bridge of front left"
set +e
out=$(w network rm bridge 2>&1); rc=$?
set -e
expect_eq "$rc" 1 "rm of a predefined network"
check_no_leaks
echo "cli_networks: ok"
