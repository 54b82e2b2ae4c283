# Nodes with identical output form one group; the largest group comes first, and groups
# of the same size follow the natural order of their headers (n9 before n10).
run_input $'n10: off\nn1: on\nn2: on\nn9: off\nn3: on\nn9: late\nn4: idle\n' collate
expect_rc 0
expect_out "====================================
n[1-3]
====================================
on

====================================
n4
====================================
idle

====================================
n9
====================================
off
late

====================================
n10
====================================
off"
expect_no_err
