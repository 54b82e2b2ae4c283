# nodedeploy against emulated Redfish BMCs: -p leaves the BMCs alone; a deployment sets a
# one-time UEFI network boot and resets a node that is on or powers on one that is off;
# a locked node is not touched. Checked against the emulators' own state.
source "$SOURCE_DIR/tests/integration/redfish/common.sh"
start_fleet
mkdir -p "$CONFLUENT_ROOT/var/lib/confluent/public/os/debian-12-x86_64-default"

# -p: the store only; no BMC is asked anything.
before=$(state ngen "s['counters']['by_path'].get('/redfish/v1/Systems/1', 0)")
run nodedeploy -p ngen debian-12-x86_64-default
expect_rc 0
expect_out ""
expect_state ngen "s['counters']['by_path'].get('/redfish/v1/Systems/1', 0)" "$before"
expect_state ngen "(s['power'], s['boot']['target'])" "('Off', 'None')"

must nodepower nsmc on
must nodeattrib ndell deployment.lock=locked
run nodedeploy ngen,nsmc,ndell debian-12-x86_64-default
expect_rc 1
expect_err "ndell: error: deployment is locked"
[ "$(sorted "$out")" = "$(printf 'ngen: network\nngen: on\nnsmc: network\nnsmc: reset')" ] || fail "deploy: $out"
# The power-on / reset used the one-time override: Once became Disabled, the target and
# the UEFI mode stay, as on a real BMC.
for n in ngen nsmc; do
  expect_state "$n" "(s['boot']['target'], s['boot']['mode'], s['boot']['enabled'], s['power'])" \
    "('Pxe', 'UEFI', 'Disabled', 'On')"
done
expect_state ngen "s['resets']" 0
expect_state nsmc "s['resets']" 1
expect_state ndell "(s['power'], s['boot']['target'], s['resets'])" "('Off', 'None', 0)"
expect_no_sessions ngen nsmc ndell

run nodedeploy ngen,nsmc,ndell
expect_out "ndell: No profile pending or applied
ngen: pending: debian-12-x86_64-default (node authentication armed)
nsmc: pending: debian-12-x86_64-default (node authentication armed)"
