must nodedefine n1
run nodeattrib n1 all
expect_rc 0
expect_out_has "n1: console.method:"
expect_out_has "n1: id.index: 1"
[ "$(wc -l <<<"$out")" -ge 78 ] || fail "fewer lines than schema attributes"
