make_cluster
run nodeattrib 'n[1-2]' info.note=first console.method=bogus
expect_rc 4
expect_err_has "does not accept value 'bogus'"
run nodeattrib 'n[1-2]' info.note
expect_out $'n1: info.note:\nn2: info.note:'
