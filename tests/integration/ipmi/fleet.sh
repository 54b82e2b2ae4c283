#!/usr/bin/env bash
# Simulated BMC fleet on loopback, built on OpenIPMI's ipmi_sim (recipe and quirks:
# ../shared/reference/test-peers.md section 1). Each BMC is its own ipmi_sim process with a
# LAN channel accepting RMCP+, user admin/secret, and a chassis_control script that keeps
# the power and boot device in plain files under DIR/bmcN/chassis/.
#   fleet.sh start DIR HOST:PORT...   start one BMC per endpoint ([v6]:PORT for IPv6), named
#                                     bmc0, bmc1, ...
#                                     and wait (bounded) until every one is bound
#   fleet.sh kill DIR N               SIGKILL bmcN and wait until its socket is gone
#   fleet.sh stop DIR                 stop them all with SIGKILL: the state is in files, and
#                                     ipmi_sim takes 1-2 s to honour SIGTERM
set -u
die() { echo "fleet.sh: $*" >&2; exit 1; }

write_common() {
  local dir=$1
  cat > "$dir/chassis.sh" <<'SH'
#!/bin/sh
# ipmi_sim chassis_control helper: $1 = per-BMC state dir, $2 = get|set|check, rest = parm [val]...
d=$1; op=$2; shift 2
mkdir -p "$d"
case $op in
  get)
    for p in "$@"; do
      case $p in
        power) echo "power:$(cat "$d/power" 2>/dev/null || echo 0)";;
        boot)  echo "boot:$(cat "$d/boot" 2>/dev/null || echo default)";;
        *) echo "Invalid parameter: $p"; exit 1;;
      esac
    done;;
  set)
    while [ $# -gt 0 ]; do
      p=$1; v=$2; shift 2
      case $p in
        power|boot) echo "$v" > "$d/$p";;
        reset|shutdown) echo "$v" > "$d/last_$p"; [ "$p" = shutdown ] && echo 0 > "$d/power";;
        identify) echo "$v" > "$d/identify";;
        *) echo "Invalid parameter: $p"; exit 1;;
      esac
      echo "$(date +%s.%N) set $p $v" >> "$d/log"
    done;;
  check) exit 1;;
  *) echo "Unknown operation: $op"; exit 1;;
esac
exit 0
SH
  chmod +x "$dir/chassis.sh"
  cat > "$dir/sim.emu" <<'EMU'
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 50 0x0a
mc_enable 0x20
EMU
}

start_one() {
  local dir=$1 i=$2 endpoint=$3
  local host=${endpoint%:*} port=${endpoint##*:} d=$dir/bmc$i
  host=${host#[}; host=${host%]}
  mkdir -p "$d/persist" "$d/chassis"
  cat > "$d/lan.conf" <<EOC
name "bmc$i"
set_working_mc 0x20
  startlan 1
    addr $host $port
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa1234567$(printf '%08x' "$i")
  endlan
  chassis_control "$dir/chassis.sh $d/chassis"
  user 2 true  "admin" "secret" admin 10 none md2 md5 straight
EOC
  ipmi_sim -c "$d/lan.conf" -f "$dir/sim.emu" -s "$d/persist" -n > "$d/sim.log" 2>&1 < /dev/null &
  echo $! > "$d/pid"
  echo "$endpoint" > "$d/endpoint"
}

bound_count() {  # how many of the given endpoints have a bound UDP socket
  local listening
  listening=$(ss -Huln | awk '{print $4}')
  local n=0 e
  for e in "$@"; do grep -qxF "$e" <<<"$listening" && n=$((n + 1)); done
  echo $n
}

case ${1:-} in
  start)
    [ $# -ge 3 ] || die "usage: fleet.sh start DIR HOST:PORT..."
    command -v ipmi_sim > /dev/null || die "ipmi_sim not found (Debian package openipmi)"
    dir=$2; shift 2
    mkdir -p "$dir" && write_common "$dir"
    i=0
    for endpoint in "$@"; do start_one "$dir" $i "$endpoint"; i=$((i + 1)); done
    for _ in $(seq 1 200); do  # at most about 10 s
      [ "$(bound_count "$@")" -eq $# ] && exit 0
      sleep 0.05
    done
    die "only $(bound_count "$@") of $# simulators came up; see $dir/bmc*/sim.log"
    ;;
  kill)
    [ $# -eq 3 ] || die "usage: fleet.sh kill DIR N"
    d=$2/bmc$3
    kill -KILL "$(cat "$d/pid")" 2> /dev/null
    for _ in $(seq 1 100); do
      [ "$(bound_count "$(cat "$d/endpoint")")" -eq 0 ] && exit 0
      sleep 0.02
    done
    die "bmc$3 still bound after SIGKILL"
    ;;
  stop)
    [ $# -eq 2 ] || die "usage: fleet.sh stop DIR"
    pids=$(cat "$2"/bmc*/pid 2> /dev/null)
    [ -n "$pids" ] && kill -KILL $pids 2> /dev/null
    exit 0
    ;;
  *) die "usage: fleet.sh start DIR HOST:PORT... | kill DIR N | stop DIR" ;;
esac
