# remove_root_bridges ROOT: deletes the bridges of ROOT's networks (wh-<id>, the default
# network's too, which `network rm` refuses) and, where kernel DNAT served loopback clients
# (route_localnet=1 on the bridge), its guard chain (engine/port/dnat_rules.h). For the
# cleanup of a throwaway state root: e2e tests and benchmarks.
remove_root_bridges() {
  local root=$1 nft br localnet
  nft="$(dirname "${BASH_SOURCE[0]}")/nft.py"
  for br in $(cat "$root"/networks/*.json 2>/dev/null | grep -o '"Bridge": *"wh-[0-9a-f]*"' | grep -o 'wh-[0-9a-f]*'); do
    localnet=$(cat /proc/sys/net/ipv4/conf/$br/route_localnet 2>/dev/null || true)
    ip link del "$br" 2>/dev/null
    [ "$localnet" != 1 ] || python3 "$nft" "add table ip wharf
add chain ip wharf guard-$br
delete chain ip wharf guard-$br" 2>/dev/null
  done
  return 0
}
