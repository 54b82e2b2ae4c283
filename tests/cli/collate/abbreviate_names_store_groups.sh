# -a folds headers with the groups of the store (never everything); without it,
# headers name nodes only.
make_cluster
input=$'n1: a\nn2: a\nn3: a\nn4: b\nn5: b\nn6: b\nx1: b\n'
run_input "$input" collate -a
expect_rc 0
expect_out "====================================
rack2,x1
====================================
b

====================================
rack1
====================================
a"
run_input "$input" collate
expect_out "====================================
n[4-6],x1
====================================
b

====================================
n[1-3]
====================================
a"
# All six nodes of compute: the largest group is named.
run_input $'n1: z\nn2: z\nn3: z\nn4: z\nn5: z\nn6: z\n' collate -a
expect_out "====================================
compute
====================================
z"
