make_cluster
must nodeattrib n2 info.note=hello
run nodeattrib n2
expect_rc 0
expect_out $'n2: groups: rack1,compute,everything\nn2: id.index: 2\nn2: info.note: hello\nn2: location.rack: 1'
