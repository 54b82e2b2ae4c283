# A node with deployment.lock=locked is refused with an error; the others go on; exit 1.
mkdir -p "$CONFLUENT_ROOT/var/lib/confluent/public/os/rocky-9"
must nodedefine 'n[1-3]'
must nodeattrib n2 deployment.lock=locked deployment.profile=rocky-8
run nodedeploy -p 'n[1-3]' rocky-9
expect_rc 1
expect_out ""
expect_err "n2: error: deployment is locked"
run nodedeploy 'n[1-3]'
expect_out "n1: pending: rocky-9 (node authentication armed)
n2: completed: rocky-8
n3: pending: rocky-9 (node authentication armed)"
