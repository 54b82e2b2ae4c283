run nodedefine 'n[1-3]' groups=nosuch
expect_rc 4
expect_err_has "group 'nosuch' does not exist"
run nodelist
expect_out ""
