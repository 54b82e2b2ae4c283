must nodedefine n1
run nodeattrib n1 location.rak=1
expect_rc 4
expect_err_has "unknown attribute 'location.rak', did you mean 'location.rack'"
expect_out ""
