# A profile that is not in public/os is one error (exit 4) listing the available ones,
# and nothing changes.
mkdir -p "$CONFLUENT_ROOT/var/lib/confluent/public/os/rocky-9" "$CONFLUENT_ROOT/var/lib/confluent/public/os/alma-9"
must nodedefine n1
run nodedeploy -p n1 rocky-8
expect_rc 4
expect_out ""
expect_err 'nodedeploy: error: The specified profile "rocky-8" is not an available profile
Available profiles:
  alma-9
  rocky-9'
run nodedeploy n1
expect_out "n1: No profile pending or applied"
