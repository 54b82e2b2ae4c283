# nodepower, nodesetboot and nodeboot against emulated Redfish BMCs of every personality
# (generic DMTF, Dell iDRAC, HPE iLO, Lenovo XCC, Supermicro), checked against the
# emulators' own state.
source "$SOURCE_DIR/tests/integration/redfish/common.sh"
start_fleet

run nodepower "$all_nodes"
expect_rc 0
[ "$(sorted "$out")" = "$(printf 'ndell: off\nngen: off\nnhpe: off\nnsmc: off\nnxcc: off')" ] || fail "status: $out"
expect_no_sessions ngen ndell nhpe nxcc nsmc

run nodepower "$all_nodes" on
expect_rc 0
[ "$(grep -c ': on$' <<<"$out")" = 5 ] || fail "on: $out"
for n in ngen ndell nhpe nxcc nsmc; do expect_state "$n" "s['power']" On; done

run nodepower -p "$all_nodes" shutdown
expect_rc 0
[ "$(grep -c ': on->off$' <<<"$out")" = 5 ] || fail "shutdown: $out"
expect_state nsmc "s['power']" Off

run nodepower -p "$all_nodes" off
[ "$(grep -c ': off->off$' <<<"$out")" = 5 ] || fail "off when off: $out"
expect_state ngen "s['counters']['by_path'].get('/redfish/v1/Systems/1/Actions/ComputerSystem.Reset', 0)" 2  # on and shutdown; off when off asks nothing

run nodepower "$all_nodes" boot
expect_rc 0
[ "$(grep -c ': on$' <<<"$out")" = 5 ] || fail "boot of an off node powers it on: $out"
run nodepower -p "$all_nodes" reset
[ "$(grep -c ': on->reset$' <<<"$out")" = 5 ] || fail "reset: $out"
for n in ngen ndell nhpe nxcc nsmc; do expect_state "$n" "s['resets']" 1; done
expect_no_sessions ngen ndell nhpe nxcc nsmc

# Boot devices. The iLO answers UnableToModifyDuringSystemPOST for 2 s after the reset
# above: the override is retried until it takes. Supermicro has UsbCd instead of Cd and
# needs BootSourceOverrideEnabled every time; the iLO has weak ETags and wants If-Match.
run nodesetboot "$all_nodes" cd
expect_rc 0
[ "$(grep -c ': cd$' <<<"$out")" = 5 ] || fail "setboot cd: $out $err"
expect_state nsmc "s['boot']['target']" UsbCd
expect_state nhpe "s['boot']['target']" Cd
expect_state ndell "(s['boot']['enabled'], s['boot']['mode'])" "('Once', 'UEFI')"
run nodesetboot "$all_nodes"
[ "$(sorted "$out")" = "$(printf 'ndell: cd\nngen: cd\nnhpe: cd\nnsmc: cd\nnxcc: cd')" ] || fail "read back: $out"

run nodesetboot -p -b "$all_nodes" network
expect_rc 0
expect_state ngen "(s['boot']['enabled'], s['boot']['target'], s['boot']['mode'])" "('Continuous', 'Pxe', 'Legacy')"
expect_state nsmc "(s['boot']['enabled'], s['boot']['target'])" "('Continuous', 'Pxe')"
run nodesetboot nxcc setup
expect_state nxcc "s['boot']['target']" BiosSetup
run nodesetboot nhpe hd
expect_out "nhpe: hd"
expect_state nhpe "s['boot']['target']" Hdd
run nodesetboot ngen http --uri https://10.0.0.1/boot.efi
expect_out "ngen: http"
expect_state ngen "(s['boot']['target'], s['boot']['uri'])" "('UefiHttp', 'https://10.0.0.1/boot.efi')"
run nodesetboot ngen
expect_out "ngen: http https://10.0.0.1/boot.efi"
run nodesetboot "$all_nodes" default
expect_rc 0
expect_state ndell "s['boot']['enabled']" Disabled
run nodesetboot ngen
expect_out "ngen: default"

# A one-time device is used by the next start.
run nodeboot 'ngen,nsmc' network
expect_rc 0
[ "$(grep -c ': network$' <<<"$out")" = 2 ] && [ "$(grep -c ': reset$' <<<"$out")" = 2 ] ||
  fail "nodeboot: $out"
expect_state ngen "s['boot']['enabled']" Disabled
expect_state ngen "s['resets']" 2
expect_no_sessions ngen ndell nhpe nxcc nsmc
