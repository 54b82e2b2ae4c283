make_cluster
must nodegroupattrib compute location.rack=9
run nodeattrib n1 location.rack
expect_out "n1: location.rack: 1"
must nodeattrib n1 groups=compute,rack1
run nodeattrib n1 location.rack
expect_out "n1: location.rack: 9"
must nodeattrib n1 location.rack=7
run nodeattrib n1 -b location.rack
expect_out "n1: location.rack: 7"
