run noderange -e 'n[1-3],x[08-10].lab'
expect_rc 0
expect_out $'n1\nn2\nn3\nx08.lab\nx09.lab\nx10.lab'
[ ! -e "$CONFLUENT_ROOT/etc/confluent/cfg/attributes.sqlite" ] || fail "expansion created the store"
