must nodedefine n1
run nodeattrib n99
expect_rc 3
expect_err "nodeattrib: error: 'n99' is not a recognized node, group, or alias"
