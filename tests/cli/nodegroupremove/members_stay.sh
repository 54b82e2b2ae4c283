make_cluster
run nodegroupremove rack1
expect_rc 0
expect_out "rack1: deleted"
run nodeattrib n1 groups location.rack
expect_out $'n1: groups: compute,everything\nn1: location.rack:'
run nodegroupremove everything
expect_rc 4
