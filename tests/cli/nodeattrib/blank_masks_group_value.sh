make_cluster
must nodeattrib n1 location.rack=
run nodeattrib n1 location.rack
expect_out "n1: location.rack:"
