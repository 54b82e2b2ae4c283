# Bad command lines exit 2 with a message and a hint on stderr, nothing on stdout.
run_input $'n1: a\n' collate -b n1
expect_rc 2
expect_out ""
expect_err_has "collate: error: --base requires --diff"
expect_err_has "Try 'collate --help'"
run_input $'n1: a\n' collate -l /tmp/collate.log
expect_rc 2
expect_out ""
expect_err_has "lacks '{node}'"
run_input $'n1: a\n' collate --bogus
expect_rc 2
expect_err_has "Try 'collate --help'"
