make_cluster
run nodelist rack1 location.rack
expect_out $'n1: location.rack: 1\nn2: location.rack: 1\nn3: location.rack: 1'
