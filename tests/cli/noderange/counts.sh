run noderange -c 'n[1-100],-n[50-59]'
expect_out 90
run_input $'n1 n2\nn[3-5]\n' noderange -c
expect_out 5
run_input $'n[1-3]\n' noderange
expect_out $'n1\nn2\nn3'
