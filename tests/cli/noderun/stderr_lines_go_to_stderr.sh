must nodedefine n1
run noderun n1 "sh -c 'echo out; echo err >&2'"
expect_rc 0
expect_out "n1: out"
expect_err "n1: err"
