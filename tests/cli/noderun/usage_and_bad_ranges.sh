must nodedefine n1
run noderun n1
expect_rc 2
expect_err_has "a command to run is required"
run noderun n99 true
expect_rc 3
run noderun -f 0 n1 true
expect_rc 2
run_input $'n\n' noderun -m 1 'n1,n1' true
expect_rc 0
