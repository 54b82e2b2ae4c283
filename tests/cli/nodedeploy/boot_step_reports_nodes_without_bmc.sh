# Without -p the nodes are armed, then network-booted through their BMCs: a node without
# BMC attributes gets an error line (exit 1), but its deployment is still pending.
mkdir -p "$CONFLUENT_ROOT/var/lib/confluent/public/os/rocky-9"
must nodedefine n1
run nodedeploy n1 rocky-9
expect_rc 1
expect_out ""
expect_err "n1: error: hardwaremanagement.method is not set (ipmi or redfish)"
run nodedeploy n1
expect_out "n1: pending: rocky-9 (node authentication armed)"
