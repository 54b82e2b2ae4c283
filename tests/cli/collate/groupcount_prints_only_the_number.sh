run_input $'n1: on\nn2: off\nn3: on\nn4: on\n' collate -g
expect_rc 0
expect_out "2"
run_input $'n1: a\nn2: a\n' collate --groupcount
expect_out "1"
run_input '' collate -g
expect_out "0"
