#!/usr/bin/env bash
# Emulated Redfish BMC fleet on loopback: one emulator.py process serving every BMC over
# HTTPS (personalities, faults and the /_emulator/ control API: README.md beside this file).
#   fleet.sh start DIR SPEC|OPTION...   start the emulator with --dir DIR; each SPEC
#                                       (NAME:PORT:PERSONALITY[:fault=v,...]) becomes --bmc SPEC,
#                                       options such as --serve-static D:P[:tls] or --config F
#                                       pass through; waits (bounded, 30 s) for DIR/ready
#   fleet.sh stop DIR                   SIGTERM it, wait for the exit (SIGKILL after 5 s)
#   fleet.sh ctl DIR NAME PATH [JSON]   the control API of BMC NAME: GET without JSON, POST
#                                       with it; PATH is e.g. state, faults, power, reset
#   fleet.sh port DIR NAME              the port of BMC NAME
set -u
die() { echo "fleet.sh: $*" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3

port_of() {  # port_of DIR NAME, from the ready file: "NAME PORT PERSONALITY" lines
  local p
  p=$(awk -v n="$2" '$1 == n { print $2; exit }' "$1/ready" 2> /dev/null)
  [ -n "$p" ] || die "no BMC '$2' in $1/ready (is the fleet running?)"
  echo "$p"
}

running() {  # running PID: the process exists and is not a zombie waiting to be reaped
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2> /dev/null) || return 1
  [ -n "$st" ] && [ "${st:0:1}" != Z ]
}
alive() { [ -f "$1/emulator.pid" ] && running "$(cat "$1/emulator.pid")"; }

case ${1:-} in
  start)
    [ $# -ge 3 ] || die "usage: fleet.sh start DIR SPEC|OPTION..."
    [ -x "$python" ] || die "$python not found (Debian package python3)"
    command -v openssl > /dev/null || die "openssl not found"
    dir=$2; shift 2
    mkdir -p "$dir" || die "cannot create $dir"
    alive "$dir" && die "an emulator already runs for $dir"
    rm -f "$dir/ready"
    args=()
    while [ $# -gt 0 ]; do
      case $1 in
        --*=*) args+=("$1") ;;
        --*) [ $# -ge 2 ] || die "option $1 needs a value"; args+=("$1" "$2"); shift ;;
        *) args+=(--bmc "$1") ;;
      esac
      shift
    done
    "$python" "$here/emulator.py" --dir "$dir" "${args[@]}" > "$dir/emulator.out" 2>&1 < /dev/null &
    pid=$!
    for _ in $(seq 1 300); do  # at most about 30 s
      [ -f "$dir/ready" ] && exit 0
      running "$pid" || die "the emulator exited: $(tail -5 "$dir/emulator.out")"
      sleep 0.1
    done
    kill "$pid" 2> /dev/null
    die "the emulator did not become ready in 30 s; see $dir/emulator.out"
    ;;
  stop)
    [ $# -eq 2 ] || die "usage: fleet.sh stop DIR"
    dir=$2
    [ -f "$dir/emulator.pid" ] || exit 0
    pid=$(cat "$dir/emulator.pid")
    kill -TERM "$pid" 2> /dev/null || { rm -f "$dir/emulator.pid" "$dir/ready"; exit 0; }
    for _ in $(seq 1 50); do  # at most about 5 s
      running "$pid" || exit 0
      sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null
    rm -f "$dir/emulator.pid" "$dir/ready"
    ;;
  ctl)
    { [ $# -ge 4 ] && [ $# -le 5 ]; } || die "usage: fleet.sh ctl DIR NAME PATH [JSON]"
    port=$(port_of "$2" "$3") || exit 1
    url="https://127.0.0.1:$port/_emulator/${4#/_emulator/}"
    if [ $# -eq 5 ]; then
      curl -sk --max-time 10 -H 'Content-Type: application/json' -d "$5" "$url"
    else
      curl -sk --max-time 10 "$url"
    fi
    ;;
  port)
    [ $# -eq 3 ] || die "usage: fleet.sh port DIR NAME"
    port_of "$2" "$3"
    ;;
  *) die "usage: fleet.sh start DIR SPEC|OPTION... | stop DIR | ctl DIR NAME PATH [JSON] | port DIR NAME" ;;
esac
