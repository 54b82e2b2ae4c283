# With a terminal on standard input there is nothing to collate: help on stderr, exit 2.
out=$(script -qec "collate 2>err.txt" /dev/null </dev/null)
rc=$?
expect_rc 2
err=$(cat err.txt)
expect_err_has "collate: error: no input"
expect_err_has "--skipcommon"
[ -z "$(tr -d '\r\n' <<<"$out")" ] || fail "stdout is not empty"
