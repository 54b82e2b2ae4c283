# -b with a node that gave no output is an error, exit 3, and nothing is printed.
run_input $'n1: on\nn2: off\n' collate -d -b n9
expect_rc 3
expect_out ""
expect_err "collate: error: node 'n9' is not in the input"
