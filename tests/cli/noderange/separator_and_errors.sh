run noderange -e -S ' ' 'n[1-3]'
expect_out "n1 n2 n3"
run noderange -e 'n[1-'
expect_rc 3
expect_err_has "noderange: error:"
run noderange -e -f n1
expect_rc 2
run noderange --bogus
expect_rc 2
expect_err_has "Try 'noderange --help'"
