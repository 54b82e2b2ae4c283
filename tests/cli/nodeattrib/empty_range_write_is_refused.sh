make_cluster
run nodeattrib 'compute@location.rack=5' info.note=x
expect_rc 4
expect_err_has "noderange is empty"
run nodeattrib 'compute@location.rack=5'
expect_rc 0
expect_out ""
