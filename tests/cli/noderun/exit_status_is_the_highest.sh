must nodedefine 'n[1-4]'
run noderun 'n[1-4]' "sh -c 'exit \$(( {n1} % 4 ))'"
expect_rc 3
run noderun 'n[1-4]' true
expect_rc 0
run noderun n1 "sh -c 'kill -TERM \$\$'"
expect_rc 143
expect_err_has "n1: killed by signal 15"
