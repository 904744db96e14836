#!/usr/bin/env bash
# Compose up/down figures: `up -d` and `down` of 1, 10 and 30 busybox httpd services (each
# with a published ephemeral port), flat and as a depends_on chain; a second `up` with
# nothing changed; `ps` on a 500-service project (containers created, not started).
# Runs as root in its own state root; prints one line per measurement (milliseconds).
#
#   usage: sudo tools/bench/compose_up.sh [WHARF_BINARY]
# Targets (issue 8): 10-service up -d < 400 ms, 30 < 1 s, unchanged up < 100 ms, ps@500 < 100 ms.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
WHARF=${1:-$here/build/bin/wharf}
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
tmp=$(mktemp -d /tmp/wharf-bench-XXXXXX)
export WHARF_ROOT=$tmp/state WHARF_RUN_ROOT=$tmp/run
mkdir -p "$WHARF_ROOT" "$WHARF_RUN_ROOT"
projects=()
cleanup() {
  set +e
  for d in "${projects[@]}"; do (cd "$d" && "$WHARF" compose down -v -t 0 >/dev/null 2>&1); done
  # Whatever an interrupted step left (a project being created when the run was cut off):
  # every container, then every network's bridge (wh-<ID prefix> outside the default root),
  # so no monitor, bridge or cgroup outlives the root.
  "$WHARF" ps -aq | xargs -r "$WHARF" rm -f >/dev/null 2>&1
  "$WHARF" network prune -f >/dev/null 2>&1
  for b in $("$WHARF" network ls -q --no-trunc 2>/dev/null); do
    ip link del "wh-${b:0:12}" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM PIPE
"$here/tools/fixtures/busybox-image" "$WHARF" >/dev/null

# "WALL CPU" in ms for one command; CPU is the CLI process's own user+sys (a container's
# monitor is detached and not counted), which shows what the command costs on a quiet machine.
ms() {
  local TIMEFORMAT='%3R %3U %3S' t
  t=$( { time "$@" >/dev/null 2>&1; } 2>&1 ) || { echo "failed: $*" >&2; return 1; }
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' <<<"$t"
}
row() { printf '%-34s %8s %8s\n' "$1" $2; }

# project NAME COUNT chain|flat [ports]
make_project() {
  local dir=$tmp/$1 n=$2 kind=$3 ports=${4:-yes}
  mkdir -p "$dir"
  {
    echo "name: $1"
    echo "services:"
    for i in $(seq 1 "$n"); do
      echo "  s$i:"
      echo "    image: localhost/busybox:latest"
      [ "$ports" = yes ] && echo "    ports: [\"80\"]"
      if [ "$kind" = chain ] && [ "$i" -gt 1 ]; then echo "    depends_on: [s$((i - 1))]"; fi
    done
  } > "$dir/compose.yaml"
  projects+=("$dir")
  echo "$dir"
}

printf '%-34s %8s %8s\n' "measurement" "wall ms" "cpu ms"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for kind in flat chain; do
  for n in 1 10 30; do
    dir=$(make_project "bench-$kind-$n" "$n" "$kind")
    cd "$dir"
    row "up -d $n services ($kind)" "$(ms "$WHARF" compose up -d)"
    row "unchanged up $n ($kind)" "$(ms "$WHARF" compose up -d)"
    row "down $n services ($kind)" "$(ms "$WHARF" compose down -t 0)"
  done
done

dir=$(make_project bench-ps-500 500 flat no)
cd "$dir"
row "create 500 services" "$(ms "$WHARF" compose create)"
row "ps -a at 500 services" "$(ms "$WHARF" compose ps -a)"
row "ps -a --format json at 500" "$(ms "$WHARF" compose ps -a --format json)"
row "unchanged up --no-start at 500" "$(ms "$WHARF" compose up --no-start)"
