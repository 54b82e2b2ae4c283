make_cluster
must nodeattrib 'n[1-6]' console.method=ipmi
must nodeattrib n2,n5 console.method=ssh
run nodelist 'compute@location.rack=2'
expect_out $'n4\nn5\nn6'
run nodelist 'console.method==ssh'
expect_out $'n2\nn5'
run nodelist 'compute,-(console.method=ipmi@rack1)'
expect_out $'n2\nn4\nn5\nn6'
run nodelist 'id.index=3'
expect_out "n3"
run nodelist 'secret.hardwaremanagementpassword=x'
expect_rc 4
expect_err_has "filter by secret attributes is not supported"
