# -l into a directory that does not exist: a runtime error naming the file.
run_input $'n1: on\n' collate -l 'missing/{node}.log'
expect_rc 1
expect_err_has "collate: error: cannot write log file 'missing/n1.log'"
