# Shared by the Redfish integration tests (sourced after tests/cli/lib.sh): a fleet of
# emulated BMCs, one per personality, on random loopback ports, defined as nodes
#   generic -> ngen, idrac -> ndell, ilo -> nhpe, xcc -> nxcc, supermicro -> nsmc
# plus helpers to read the emulators' state.
fleet="$SOURCE_DIR/tests/integration/redfish/fleet.sh"
emu=$CONFLUENT_ROOT/emu
# Below the ephemeral port range (32768+), where client sockets could hold a port.
base=$(( 10000 + RANDOM % 22000 ))
declare -A bmc_port=([ngen]=$base [ndell]=$((base + 1)) [nhpe]=$((base + 2)) [nxcc]=$((base + 3)) [nsmc]=$((base + 4)))
declare -A bmc_kind=([ngen]=generic [ndell]=idrac [nhpe]=ilo [nxcc]=xcc [nsmc]=supermicro)
static_port=$((base + 20))
all_nodes=ngen,ndell,nhpe,nxcc,nsmc

# start_fleet [EXTRA SPECS/OPTIONS...]: the five personalities plus whatever is given.
start_fleet() {
  local specs=() n
  for n in ngen ndell nhpe nxcc nsmc; do specs+=("$n:${bmc_port[$n]}:${bmc_kind[$n]}"); done
  bash "$fleet" start "$emu" "${specs[@]}" "$@" || fail "the Redfish emulator did not start"
  trap 'bash "$fleet" stop "$emu" >/dev/null 2>&1; rm -rf "$CONFLUENT_ROOT"' EXIT
  must nodegroupdefine rf hardwaremanagement.method=redfish bmcuser=admin bmcpass=secret
  for n in ngen ndell nhpe nxcc nsmc; do
    must nodedefine "$n" groups=rf bmc="127.0.0.1:${bmc_port[$n]}"
  done
}

# state NODE PYTHON-EXPRESSION: evaluates the expression on the emulator's state (as `s`).
state() {
  bash "$fleet" ctl "$emu" "$1" state |
    /usr/bin/python3 -c 'import json,sys; s=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"
}
ctl() { bash "$fleet" ctl "$emu" "$@" > /dev/null || fail "control request $* failed"; }
# expect_state NODE EXPRESSION VALUE
expect_state() {
  local got
  got=$(state "$1" "$2")
  [ "$got" = "$3" ] || fail "$1: $2 is '$got', expected '$3'"
}
# Every session a command opened must be closed when it ends.
expect_no_sessions() {
  local n
  for n in "$@"; do expect_state "$n" "s['sessions_open']" 0; done
}
sorted() { sort <<<"$1"; }
