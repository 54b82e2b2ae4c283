must nodedefine n1,r1u2
run noderun 'n1,r1u2' echo '{n2}'
expect_rc 1
expect_out "r1u2: 2"
expect_err "n1: error: cannot expand 'echo {n2}': list index out of range"
run noderun n1 echo '{'
expect_rc 4
expect_err_has "unbalanced braces"
expect_out ""
run noderun n1 echo '{bogus.attr}'
expect_rc 1
expect_err_has "bogus.attr is not a valid attribute name"
