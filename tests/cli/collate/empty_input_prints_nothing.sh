# No input at all, or only empty lines: nothing printed, success.
run_input "" collate
expect_rc 0
expect_out ""
expect_no_err
run_input $'\n\n' collate -c -d
expect_rc 0
expect_out ""
