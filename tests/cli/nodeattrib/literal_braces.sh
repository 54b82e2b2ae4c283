must nodedefine n1
run nodeattrib n1 info.note='{{literal}}'
expect_out "n1: info.note: {literal}"
run nodeattrib n1 info.note='a{b'
expect_rc 4
expect_err_has "unbalanced braces"
