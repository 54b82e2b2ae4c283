make_cluster
must nodeattrib n1,n3,n5 console.method=ipmi
must nodegroupdefine ipminodes
run nodegroupattrib ipminodes noderange=console.method=ipmi
expect_rc 0
run nodelist ipminodes
expect_out $'n1\nn3\nn5'
run nodegroupattrib ipminodes location.room=x
expect_rc 4
expect_err_has "which has a noderange"
run nodegroupattrib ipminodes nodes=n2
expect_rc 4
expect_err_has "cannot set both nodes and noderange"
