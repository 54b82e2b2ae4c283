must nodedefine n1
run nodeattrib n1 bmcpass=Sup3rS3cret bmcuser=admin
expect_rc 0
expect_out $'n1: secret.hardwaremanagementpassword: ********\nn1: secret.hardwaremanagementuser: ********'
run nodeattrib n1 secret.hardwaremanagementpassword
expect_out "n1: secret.hardwaremanagementpassword: ********"
key="$CONFLUENT_ROOT/etc/confluent/cfg/master.key"
[ "$(stat -c %a "$key")" = 600 ] || fail "master key mode is not 600"
[ "$(stat -c %s "$key")" = 32 ] || fail "master key is not 32 bytes"
! grep -rq Sup3rS3cret "$CONFLUENT_ROOT" || fail "plaintext secret found on disk"
run nodeattrib n1 custom.x='{bmcpass}'
run nodeattrib n1 custom.x
expect_out "n1: custom.x:"
