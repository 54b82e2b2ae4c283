make_cluster
must nodegroupattrib compute location.rack=9
must nodegroupattrib rack1 -c location.rack
run nodeattrib n1 -b location.rack
expect_out "n1: location.rack: 9 (inherited from group compute)"
