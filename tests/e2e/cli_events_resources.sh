#!/usr/bin/env bash
# `events` for networks, volumes and images, as Docker reports them: network create, connect,
# disconnect and destroy (with the container connected), volume create and destroy, image tag,
# untag, save, load and import (push: compose_more_verbs.sh); the
# network= and volume= filters, and container= finding a network's connect by its container.
source "$(dirname "$0")/lib/common.sh"
load_fixture
img=localhost/busybox:latest
since=$(date +%s.%N)
net=evnet$$
w network create "$net" >/dev/null
bridges="wh-$(w network inspect -f '{{.Id}}' "$net" | cut -c1-12)"
w volume create evvol >/dev/null
id=$(w run -d --pull never --network "$net" -v evvol:/data $img sleep 100)
w rm -f "$id" >/dev/null
w volume rm evvol >/dev/null
w network rm "$net" >/dev/null
w tag $img localhost/evtag:v1
w rmi localhost/evtag:v1 >/dev/null
w save -o "$E2E_TMP/bb.tar" $img
w load -i "$E2E_TMP/bb.tar" >/dev/null
mkdir -p "$E2E_TMP/rootfs/etc" && echo imported >"$E2E_TMP/rootfs/etc/motd"
tar -C "$E2E_TMP/rootfs" -cf "$E2E_TMP/rootfs.tar" .
imported=$(w import "$E2E_TMP/rootfs.tar")
img_id=$(w image inspect -f '{{.Id}}' $img)
ev() { w events --since "$since" --until 0s "$@"; }

expect_eq "$(ev --filter type=network --format '{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.type}}' | tr '\n' '|')" \
  "create $net bridge|connect $net bridge|disconnect $net bridge|destroy $net bridge|" "network events"
expect_eq "$(ev --filter type=network --filter event=connect --format '{{.Actor.Attributes.container}}')" "$id" \
  "connect names the container"
expect_eq "$(ev --filter volume=evvol --format '{{.Type}} {{.Action}} {{.Actor.ID}} {{.Actor.Attributes.driver}}' | tr '\n' '|')" \
  "volume create evvol local|volume destroy evvol local|" "volume events"
expect_eq "$(ev --filter network=$net --format '{{.Action}}' | wc -l)" 4 "network= selects the network's events"
expect_eq "$(ev --filter container=${id:0:12} --filter type=network --format '{{.Action}}' | tr '\n' ' ')" \
  "connect disconnect " "container= finds the network events of the container"
expect_eq "$(ev --filter type=image --format '{{.Action}} {{.Actor.Attributes.name}}' | tr '\n' '|')" \
  "tag localhost/evtag:v1|untag localhost/evtag:v1|save $img_id|load $img_id|import $imported|" \
  "image tag, untag, save, load and import events"
w rmi "$imported" >/dev/null
check_no_leaks
echo "cli_events_resources: ok"
