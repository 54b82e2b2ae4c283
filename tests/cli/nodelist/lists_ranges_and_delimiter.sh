make_cluster
run nodelist rack2
expect_out $'n4\nn5\nn6'
run nodelist 'compute>2' -d ,
expect_out "n1,n2"
run nodelist
expect_out $'n1\nn2\nn3\nn4\nn5\nn6'
