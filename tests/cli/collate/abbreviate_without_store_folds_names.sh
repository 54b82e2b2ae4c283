# -a without an attribute store folds node names and does not create the store.
run_input $'n1: a\nn2: a\n' collate -a
expect_rc 0
expect_out "====================================
n[1-2]
====================================
a"
[ ! -e "$CONFLUENT_ROOT/etc/confluent/cfg/attributes.sqlite" ] || fail "collate -a created the store"
