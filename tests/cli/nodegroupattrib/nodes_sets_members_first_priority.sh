make_cluster
must nodegroupdefine gpu location.rack=77
run nodegroupattrib gpu nodes=n2,n3
expect_rc 0
expect_out "gpu: nodes: n2,n3"
run nodeattrib n2 groups location.rack
expect_out $'n2: groups: gpu,rack1,compute,everything\nn2: location.rack: 77'
run nodegroupattrib gpu nodes-=n2
expect_out "gpu: nodes: n3"
run nodeattrib n2 location.rack
expect_out "n2: location.rack: 1"
