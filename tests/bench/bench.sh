#!/usr/bin/env bash
# Benchmarks for issue 2, each side by side with its peer (run on request, not by the suite):
#   1. noderange -e 'n[1-1000000]'  vs  seq -f n%g 1 1000000  vs  nodeset -e (ClusterShell)
#   2. folding 100k names           vs  nodeset -f
#   3. nodeattrib, 20 attributes x 10k nodes (three groups, expressions)
#                                   vs  sqlite3 selecting the same 200k values
#   4. noderun -f 64 'n[1-1000]' echo {node}  vs  pdsh -R exec -f 64 ... echo %h;
#      then noderun -f 4096 'm[1-4096]' sleep 1: the spawn overhead beyond the 1 s
# Usage: tests/bench/bench.sh [BIN_DIR]   (default: build/bin)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/bin}
export PATH="$bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CONFLUENT_ROOT=$work/root
mkdir -p "$CONFLUENT_ROOT"
runs=${RUNS:-5}

# best_of N CMD...: the fastest wall time of N runs, in seconds (stdout discarded).
best_of() {
  local n=$1 best=""
  shift
  for _ in $(seq 1 "$n"); do
    local start end t
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    t=$(( (end - start) / 1000 ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  awk -v us="$best" 'BEGIN { printf "%.3f", us / 1e6 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }
have_nodeset() { command -v nodeset >/dev/null; }

echo "== 1. expansion of n[1-1000000] (best of $runs)"
ours=$(best_of "$runs" noderange -e 'n[1-1000000]')
seq_t=$(best_of "$runs" seq -f n%g 1 1000000)
[ "$(noderange -e 'n[1-1000000]' | md5sum)" = "$(seq -f n%.0f 1 1000000 | md5sum)" ] || echo "warning: outputs differ"
printf '  noderange -e  %8ss\n  seq           %8ss   (noderange/seq = %s)\n' "$ours" "$seq_t" "$(ratio "$ours" "$seq_t")"
if have_nodeset; then
  ns=$(best_of 1 nodeset -S '\n' -e 'n[1-1000000]')
  printf '  nodeset -e    %8ss   (nodeset/noderange = %s)\n' "$ns" "$(ratio "$ns" "$ours")"
fi

echo "== 2. folding 100k names (every 7th of n1..n116667 missing, shuffled)"
seq 1 116667 | awk '$1 % 7 != 0 { print "n" $1 }' | shuf --random-source=<(yes) > "$work/names"
wc -l < "$work/names" | sed 's/^/  names: /'
fold_ours() { noderange -f < "$work/names"; }
fold_ns() { nodeset -f < "$work/names"; }
ours=$(best_of "$runs" fold_ours)
printf '  noderange -f  %8ss\n' "$ours"
[ "$(fold_ours | noderange -c)" = "$(wc -l < "$work/names")" ] || echo "warning: the folded form does not expand back"
if have_nodeset; then
  ns=$(best_of 1 fold_ns)
  printf '  nodeset -f    %8ss   (nodeset/noderange = %s)\n' "$ns" "$(ratio "$ns" "$ours")"
fi

echo "== 3. nodeattrib: 20 attributes x 10k nodes vs sqlite3 (best of $runs)"
nodegroupdefine compute hardwaremanagement.method=redfish 'bmc={node}-xcc' console.method=ipmi \
  'net.mgt.ipv4_address=172.30.{n1/256}.{n1%256}' dns.domain=cluster.example ntp.servers=ntp1 \
  deployment.pendingprofile=rocky-9-x86_64-default >/dev/null
nodegroupdefine left location.room=east 'location.rack={(n1-1)/40+1}' >/dev/null
nodegroupdefine right location.room=west 'location.rack={(n1-1)/40+101}' >/dev/null
nodedefine 'n[1-10000]' groups=compute 'location.u={(n1-1)%40+1}' >/dev/null
nodegroupattrib left nodes='n[1-5000]' >/dev/null
nodegroupattrib right nodes='n[5001-10000]' >/dev/null
attrs=(groups hardwaremanagement.manager hardwaremanagement.method console.method
       net.mgt.ipv4_address dns.domain ntp.servers deployment.pendingprofile location.room
       location.rack location.u id.index id.serial id.model id.uuid net.mgt.hwaddr info.note
       location.row type location.height)
nodeattrib 'n[1-10000]' id.serial='S{n1:06d}' id.model=7X21 'net.mgt.hwaddr=52:54:00:00:{n1/256:02x}:{n1%256:02x}' \
  info.note=bench location.row=A type=server location.height=1 'id.uuid=00000000-0000-0000-0000-{n1:012d}' >/dev/null
lines=$(nodeattrib everything "${attrs[@]}" | wc -l)
ours=$(best_of "$runs" nodeattrib everything "${attrs[@]}")
nodeattrib everything "${attrs[@]}" | awk -F': ' '{ print $1 "\t" $2 "\t" $3 }' > "$work/flat.tsv"
sqlite3 "$work/flat.db" "CREATE TABLE t(node TEXT, attr TEXT, value TEXT)" ".mode tabs" ".import $work/flat.tsv t"
sq=$(best_of "$runs" sqlite3 "$work/flat.db" "SELECT node || ': ' || attr || ': ' || value FROM t")
printf '  values: %s\n  nodeattrib    %8ss\n  sqlite3       %8ss   (nodeattrib/sqlite3 = %s)\n' "$lines" "$ours" "$sq" "$(ratio "$ours" "$sq")"

echo "== 4. noderun: 1000 nodes at concurrency 64 vs pdsh -R exec (best of $runs)"
nr_lines=$(noderun -f 64 'n[1-1000]' echo {node} | wc -l)
[ "$nr_lines" -eq 1000 ] || echo "warning: noderun printed $nr_lines lines, not 1000"
ours=$(best_of "$runs" noderun -f 64 'n[1-1000]' echo {node})
printf '  noderun       %8ss\n' "$ours"
if command -v pdsh >/dev/null; then
  pdsh_lines=$(pdsh -R exec -f 64 -w 'n[1-1000]' echo %h | wc -l)
  [ "$pdsh_lines" -eq 1000 ] || echo "warning: pdsh printed $pdsh_lines lines, not 1000"
  pd=$(best_of "$runs" pdsh -R exec -f 64 -w 'n[1-1000]' echo %h)
  printf '  pdsh -R exec  %8ss   (pdsh/noderun = %s, target >= 3x)\n' "$pd" "$(ratio "$pd" "$ours")"
else
  echo "  pdsh: not installed, skipped (Debian package pdsh)"
fi

echo "== 4b. noderun: 4096 nodes at concurrency 4096, sleep 1 each (one run)"
nodedefine 'm[1-4096]' >/dev/null
rc=0
start=$(date +%s%N)
noderun -f 4096 'm[1-4096]' sleep 1 >"$work/m.out" 2>&1 || rc=$?
end=$(date +%s%N)
if [ "$rc" -ne 0 ] || [ -s "$work/m.out" ]; then
  echo "warning: noderun exited with status $rc and printed $(wc -l < "$work/m.out") lines, expected 0 and none:"
  sed "s/^[^:]*: //" "$work/m.out" | sort | uniq -c | sort -rn | head -5
fi
awk -v ns=$((end - start)) 'BEGIN { printf "  noderun       %8.3fs   (spawn overhead beyond the 1 s sleep: %.3fs)\n", ns / 1e9, ns / 1e9 - 1 }'

echo "== 5. nodepower status of 200 simulated BMCs (ipmi_sim) vs ipmipower vs an ipmitool loop"
fleet="$here/tests/integration/ipmi/fleet.sh"
if ! command -v ipmi_sim >/dev/null; then
  echo "  skipped: ipmi_sim not installed (Debian package openipmi)"
elif [ "$(id -u)" -ne 0 ]; then
  echo "  skipped: 200 BMCs on 127.0.1.x:623 need root (port 623)"
else
  sims=$work/sims
  addrs=()
  for i in $(seq 1 200); do addrs+=("127.0.1.$i:623"); done
  bash "$fleet" start "$sims" "${addrs[@]}" >/dev/null
  nodegroupdefine ipmibmcs hardwaremanagement.method=ipmi bmcuser=admin bmcpass=secret >/dev/null
  nodedefine 'b[1-200]' groups=ipmibmcs 'bmc=127.0.1.{n1}' >/dev/null
  lines=$(nodepower 'b[1-200]' | wc -l)
  ours=$(best_of "$runs" nodepower 'b[1-200]')
  printf '  answers: %s of 200\n  nodepower             %8ss\n' "$lines" "$ours"
  if command -v ipmipower >/dev/null; then
    ipp() { ipmipower -D LAN_2_0 -W opensesspriv -h '127.0.1.[1-200]' -u admin -p secret --stat -F 200; }
    ipl=$(ipp | grep -c ': ')
    ip_t=$(best_of "$runs" ipp)
    printf '  ipmipower -F 200      %8ss   (%s answers; ipmipower/nodepower = %s, target >= 1x)\n' "$ip_t" "$ipl" "$(ratio "$ip_t" "$ours")"
  fi
  loop() { for i in $(seq 1 200); do ipmitool -I lanplus -C 3 -U admin -P secret -H "127.0.1.$i" chassis power status; done; }
  loop_t=$(best_of 1 loop)
  printf '  ipmitool loop         %8ss   (ipmitool loop/nodepower = %s, target >= 30x)\n' "$loop_t" "$(ratio "$loop_t" "$ours")"
  bash "$fleet" stop "$sims" >/dev/null 2>&1
fi
