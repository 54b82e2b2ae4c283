# -r: the exact reverse of the default order, the most common output last.
run_input $'n1: on\nn2: on\nn3: off\nn4: on\nn5: error\n' collate -r
expect_rc 0
expect_out "====================================
n5
====================================
error

====================================
n3
====================================
off

====================================
n[1-2,4]
====================================
on"
# With -s, the most common output is still the one left out.
run_input $'n1: on\nn2: on\nn3: off\n' collate -r -s
expect_out "====================================
n3
====================================
off"
