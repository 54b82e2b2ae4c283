must nodedefine 'n[1-5]'
run_input $'n\n' nodeattrib 'n[1-5]' -m 2 info.note=x
expect_rc 1
expect_err_has "Command is about to affect 5 nodes, continue (y/n)? "
expect_err_has "aborting at user request"
run nodeattrib n1 info.note
expect_out "n1: info.note:"
run_input $'y\n' nodeattrib 'n[1-5]' -m 2 info.note=x
expect_rc 0
run nodeattrib n5 info.note
expect_out "n5: info.note: x"
