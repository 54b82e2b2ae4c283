run noderange -c 'n[1-100],-n[50-59]'
expect_out 90
