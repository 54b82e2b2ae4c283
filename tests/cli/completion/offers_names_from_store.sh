make_cluster
run nodeattrib --_complete 1 nodeattrib 'rac'
expect_out $'rack1\nrack2'
run nodeattrib --_complete 1 nodeattrib 'compute,-n'
expect_out_has "compute,-n1"
run nodeattrib --_complete 2 nodeattrib n1 location.r
expect_out $'location.rack\nlocation.room\nlocation.row'
run nodeattrib --_complete 2 nodeattrib n1 --bl
expect_out "--blame"
run nodegroupattrib --_complete 1 nodegroupattrib r
expect_out $'rack1\nrack2'
run nodepower --_complete 2 nodepower n1 o
expect_out $'on\noff'
run nodesetboot --_complete 3 nodesetboot -p n1 ne
expect_out "network"
