make_cluster
must nodegroupattrib compute bmc={node}-imm bmcpass=x
run nodegroupattrib compute
expect_rc 0
expect_out $'compute: hardwaremanagement.manager:  (will derive from expression {node}-imm)\ncompute: nodes: n1,n2,n3,n4,n5,n6\ncompute: secret.hardwaremanagementpassword: ********'
