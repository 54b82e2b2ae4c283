# nodepower, nodesetboot and nodeboot against real OpenIPMI ipmi_sim BMCs on loopback,
# cross-checked with the simulators' state and with ipmitool.
fleet="$SOURCE_DIR/tests/integration/ipmi/fleet.sh"
sims=$CONFLUENT_ROOT/sims
if [ "$(id -u)" -eq 0 ]; then
  net="127.$(( 100 + RANDOM % 100 )).$(( RANDOM % 250 ))"
  addrs=("$net.1:623" "$net.2:623" "$net.3:623")
  dead="$net.9:623"
else
  base=$(( 20000 + RANDOM % 30000 ))
  addrs=("127.0.0.1:$base" "127.0.0.1:$((base + 1))" "127.0.0.1:$((base + 2))")
  dead="127.0.0.1:$((base + 9))"
fi
bash "$fleet" start "$sims" "${addrs[@]}" || fail "the simulators did not start"
trap 'bash "$fleet" stop "$sims" >/dev/null 2>&1; rm -rf "$CONFLUENT_ROOT"' EXIT
state() { cat "$sims/bmc$1/chassis/$2" 2>/dev/null || echo unset; }
ipmitool_of() { local h=${addrs[$1]}; ipmitool -I lanplus -C 3 -U admin -P secret -H "${h%:*}" -p "${h##*:}" "${@:2}"; }

must nodegroupdefine bmcs hardwaremanagement.method=ipmi bmcuser=admin bmcpass=secret
must nodedefine 'n[1-3]' groups=bmcs
for i in 1 2 3; do must nodeattrib "n$i" bmc="${addrs[$((i - 1))]}"; done

run nodepower 'n[1-3]'
expect_rc 0
out=$(sort <<<"$out")
expect_out $'n1: off\nn2: off\nn3: off'

run nodepower n2 on
expect_rc 0
expect_out "n2: on"
[ "$(state 1 power)" = 1 ] || fail "the simulated machine is not on"
ipmitool_of 1 chassis power status | grep -q "is on" || fail "ipmitool does not see it on"
run nodepower -p 'n[1-3]' off
out=$(sort <<<"$out")
expect_out $'n1: off->off\nn2: on->off\nn3: off->off'
[ "$(state 1 power)" = 0 ] || fail "the simulated machine is not off"

run nodesetboot n1 network
expect_rc 0
expect_out "n1: network"
ipmitool_of 0 chassis bootparam get 5 | grep -qi "pxe" || fail "ipmitool does not see PXE as next boot"
# ipmi_sim keeps the selector (PXE, as ipmitool showed) but answers with the valid bit
# clear, which means the next boot is the firmware default.
run nodesetboot n1
expect_rc 0
expect_out "n1: default"
run nodesetboot -u -p n3 hd
expect_out "n3: hd"
ipmitool_of 2 chassis bootparam get 5 | grep -qi "hard-drive" || fail "ipmitool does not see the disk boot"
# (ipmi_sim keeps only the device selector, not the persistent or UEFI bits.)

run nodeboot 'n[1-2]' network
expect_rc 0
[ "$(grep -c ': network' <<<"$out")" = 2 ] || fail "both nodes should report the boot device"
[ "$(grep -c ': on' <<<"$out")" = 2 ] || fail "both nodes should be powered on"
[ "$(state 0 power)" = 1 ] && [ "$(state 1 power)" = 1 ] || fail "nodeboot did not power the nodes on"
run nodepower n1 reset
expect_out "n1: reset"

# Faults: nothing listening, a wrong password, no BMC at all; the others still answer.
must nodedefine 'f[1-3]'
must nodeattrib f1 bmc="$dead" hardwaremanagement.method=ipmi bmcuser=admin bmcpass=secret
must nodeattrib f2 bmc="${addrs[0]}" hardwaremanagement.method=ipmi bmcuser=admin bmcpass=wrong
start=$SECONDS
run nodepower -t 2 'n1,f[1-3]'
[ $((SECONDS - start)) -le 6 ] || fail "a dead BMC stalled the run"
expect_rc 1
expect_out "n1: on"
expect_err_has "f1: error: "
expect_err_has "f2: error: "
expect_err_has "f3: error: hardwaremanagement.method is not set"

# A BMC killed in the middle of a run fails alone.
bash "$fleet" kill "$sims" 2
run nodepower -t 2 'n[1-3]'
expect_rc 1
expect_err_has "n3: error: "
[ "$(grep -c ': on' <<<"$out")" = 2 ] || fail "the live BMCs should still answer"

run nodepower n1 sideways
expect_rc 2
