run noderange -f n1 n2 n3 n5 'r[1-2]u[1-2]'
expect_rc 0
expect_out "n[1-3,5],r[1-2]u[1-2]"
run_input $'n01\nn02\nn03\nn10\n' noderange -f
expect_out "n[01-03,10]"
