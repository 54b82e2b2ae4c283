run nodelist
expect_rc 0
expect_out ""
[ ! -e "$CONFLUENT_ROOT/etc/confluent/cfg/attributes.sqlite" ] || fail "a read created the store"
