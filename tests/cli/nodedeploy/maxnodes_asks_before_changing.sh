# -m N asks before changing more than N nodes; anything but y leaves them alone.
mkdir -p "$CONFLUENT_ROOT/var/lib/confluent/public/os/rocky-9"
must nodedefine 'n[1-3]'
run_input "n" nodedeploy -m 2 -p 'n[1-3]' rocky-9
expect_rc 1
expect_err_has "Command is about to affect 3 nodes, continue (y/n)?"
expect_err_has "aborting at user request"
run nodedeploy n1
expect_out "n1: No profile pending or applied"
run_input "y" nodedeploy -m 2 -p 'n[1-3]' rocky-9
expect_rc 0
run nodedeploy n3
expect_out "n3: pending: rocky-9 (node authentication armed)"
# Showing the status never asks.
run nodedeploy -m 1 'n[1-3]'
expect_rc 0
expect_no_err
