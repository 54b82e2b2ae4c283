must nodedefine n1
run nodeattrib 'n1|n2'
expect_rc 3
expect_err_has "invalid syntax"
run nodeattrib ',n1'
expect_rc 3
expect_err_has "invalid syntax"
