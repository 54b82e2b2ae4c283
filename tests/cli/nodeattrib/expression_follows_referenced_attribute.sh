make_cluster
must nodeattrib n1 custom.where='rack-{location.rack}'
run nodeattrib n1 custom.where
expect_out "n1: custom.where: rack-1"
must nodegroupattrib rack1 location.rack=11
run nodeattrib n1 custom.where
expect_out "n1: custom.where: rack-11"
