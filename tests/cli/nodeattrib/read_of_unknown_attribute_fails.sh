must nodedefine n1
run nodeattrib n1 bogus.thing
expect_rc 1
expect_err_has "'bogus.thing' is not a valid attribute"
