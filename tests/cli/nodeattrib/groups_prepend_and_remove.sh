make_cluster
must nodegroupdefine extra
run nodeattrib n1 groups,=extra
expect_out "n1: groups: extra,rack1,compute,everything"
run nodeattrib n1 groups,=extra
expect_rc 4
expect_err_has "node 'n1' is already in group 'extra'"
run nodeattrib n1 groups-=rack1
expect_out "n1: groups: extra,compute,everything"
run nodeattrib n1 location.rack
expect_out "n1: location.rack:"
