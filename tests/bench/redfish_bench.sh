#!/usr/bin/env bash
# Benchmark for issue 5 (run on request, not by the suite): `nodepower status` on 200
# emulated Redfish BMCs (tests/integration/redfish/emulator.py, one process, HTTPS on
# loopback), side by side in one run with
#   - a loop of Debian's redfishtool asking each BMC for its PowerState, one after another;
#   - the emulator's own capacity: parallel curl (-Z, 64 at a time, Basic auth, kept-alive
#     connections) doing the same requests nodepower makes, in requests per second.
# Usage: tests/bench/redfish_bench.sh [BIN_DIR] (default build/bin); BMCS=200 RUNS=5
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/bin}
export PATH="$bin:$PATH"
bmcs=${BMCS:-200}
runs=${RUNS:-5}
work=$(mktemp -d)
fleet=$here/tests/integration/redfish/fleet.sh
trap 'bash "$fleet" stop "$work/emu" >/dev/null 2>&1; rm -rf "$work"' EXIT
export CONFLUENT_ROOT=$work/root
mkdir -p "$CONFLUENT_ROOT"
command -v redfishtool >/dev/null || { echo "redfishtool is not installed (apt-get install redfishtool)" >&2; exit 1; }

# Below the ephemeral port range (32768+), where client sockets could hold a port.
base=$(( 10000 + RANDOM % 20000 ))
specs=()
for i in $(seq 1 "$bmcs"); do specs+=("b$i:$((base + i)):generic"); done
start=$(date +%s%N)
bash "$fleet" start "$work/emu" "${specs[@]}"
echo "emulator: $bmcs BMCs ready in $(( ($(date +%s%N) - start) / 1000000 )) ms"
nodegroupdefine rf hardwaremanagement.method=redfish bmcuser=admin bmcpass=secret >/dev/null
nodedefine "r[1-$bmcs]" groups=rf >/dev/null
# One bulk assignment through an expression: r<i> -> 127.0.0.1:<base+i>
nodegroupattrib rf bmc="127.0.0.1:{n1 + $base}" >/dev/null
nodepower "r[1-$bmcs]" >/dev/null   # first contact pins the certificates
nodepower "r[1-$bmcs]" | grep -c ': off$' | grep -qx "$bmcs" || { echo "nodepower did not reach every BMC" >&2; exit 1; }

# best_us CMD...: the fastest of RUNS wall times of CMD, in microseconds (output discarded).
best_us() {
  local best="" s e t
  for _ in $(seq 1 "$runs"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    t=$(( (e - s) / 1000 ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$best"
}

requests_of_b1() {
  bash "$fleet" ctl "$work/emu" b1 state | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["counters"]["requests"])'
}

# nodepower: best of RUNS
before=$(requests_of_b1)
best=$(best_us nodepower "r[1-$bmcs]")
per_node=$(( ($(requests_of_b1) - before) / runs ))
np_s=$(awk -v us="$best" 'BEGIN { printf "%.3f", us / 1e6 }')
np_rps=$(awk -v us="$best" -v n="$bmcs" -v r="$per_node" 'BEGIN { printf "%.0f", n * r / (us / 1e6) }')
echo "nodepower status, $bmcs BMCs: $np_s s (best of $runs), $per_node requests per BMC, $np_rps requests/s"

# redfishtool, one BMC after another
s=$(date +%s%N)
for i in $(seq 1 "$bmcs"); do
  redfishtool -r "127.0.0.1:$((base + i))" -u admin -p secret -S Always -F Systems get -P PowerState >/dev/null
done
e=$(date +%s%N)
rt_s=$(awk -v ns="$((e - s))" 'BEGIN { printf "%.3f", ns / 1e9 }')
echo "redfishtool loop, $bmcs BMCs: $rt_s s  -> nodepower is $(awk -v a="$rt_s" -v b="$np_s" 'BEGIN { printf "%.1fx", a / b }') faster"

# Capacity: parallel curl making the same number of requests (per_node per BMC).
urls=()
for i in $(seq 1 "$bmcs"); do
  for _ in $(seq 1 "$per_node"); do urls+=("https://127.0.0.1:$((base + i))/redfish/v1/Systems/1"); done
done
best=$(best_us curl -skZ --parallel-max 64 -u admin:secret -o /dev/null "${urls[@]}")
curl_rps=$(awk -v us="$best" -v n="${#urls[@]}" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
echo "parallel curl, ${#urls[@]} requests: $(awk -v us="$best" 'BEGIN { printf "%.3f", us / 1e6 }') s (best of $runs), $curl_rps requests/s"

# The same with one curl process per BMC (its requests on one kept-alive connection, as
# nodepower does), 64 processes at a time; the capacity is the better of the two.
per_bmc_curls() {
  seq 1 "$bmcs" | xargs -P 64 -I{} sh -c 'p=$(('"$base"' + {})); u=https://127.0.0.1:$p/redfish/v1/Systems/1; set --; for k in $(seq 1 '"$per_node"'); do set -- "$@" -o /dev/null "$u"; done; curl -sk -u admin:secret "$@"'
}
best=$(best_us per_bmc_curls)
xargs_rps=$(awk -v us="$best" -v n="${#urls[@]}" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
echo "curl per BMC (xargs -P 64), ${#urls[@]} requests: $(awk -v us="$best" 'BEGIN { printf "%.3f", us / 1e6 }') s (best of $runs), $xargs_rps requests/s"
capacity=$(( curl_rps > xargs_rps ? curl_rps : xargs_rps ))
echo "nodepower / emulator capacity ($capacity requests/s): $(awk -v a="$np_rps" -v b="$capacity" 'BEGIN { printf "%.2f", a / b }')"
