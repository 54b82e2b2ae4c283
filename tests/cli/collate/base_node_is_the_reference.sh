# -b NODE: with -d, NODE's group is printed first, in full, and the others differ from it.
input=$'n1: on\nn2: on\nn3: on\nn4: off\n'
run_input "$input" collate -d -b n4
expect_rc 0
expect_out "====================================
n4
====================================
off

====================================
n[1-3]
====================================
@@
- off
+ on"
# -s then leaves out the base node's group.
run_input "$input" collate -d -b n4 -s
expect_out "====================================
n[1-3]
====================================
@@
- off
+ on"
