# -s: the most common output is not printed.
run_input $'n1: on\nn2: on\nn3: off\nn4: on\nn5: error\n' collate -s
expect_rc 0
expect_out "====================================
n3
====================================
off

====================================
n5
====================================
error"
