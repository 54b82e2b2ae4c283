run nodedefine 'bad/name'
expect_rc 4
expect_err_has "'bad/name' is not a valid node name"
