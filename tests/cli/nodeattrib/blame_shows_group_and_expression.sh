make_cluster
must nodegroupattrib compute bmc={node}-xcc
run nodeattrib n4 -b bmc location.rack
expect_rc 0
expect_out $'n4: hardwaremanagement.manager: n4-xcc (inherited from group compute, derived from expression "{node}-xcc")\nn4: location.rack: 2 (inherited from group rack2)'
