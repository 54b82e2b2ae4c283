run nodedefine n1 location.rack
expect_rc 2
expect_err_has "attributes must be given as attribute=value, got 'location.rack'"
run nodelist
expect_out ""
