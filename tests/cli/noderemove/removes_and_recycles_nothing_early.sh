make_cluster
run noderemove 'n[5-6]'
expect_rc 0
expect_out $'n5: deleted\nn6: deleted'
run nodelist rack2
expect_out "n4"
must nodedefine n7
run nodeattrib n7 id.index
expect_out "n7: id.index: 7"
run noderemove n99
expect_rc 3
