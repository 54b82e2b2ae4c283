must nodedefine 'n[1-3]'
must nodeattrib 'n[1-3]' custom.cmd=echo
must nodeattrib n2 custom.cmd=no-such-program
run noderun 'n[1-3]' '{custom.cmd}' hello
expect_rc 127
out=$(sort <<<"$out")
expect_out $'n1: hello\nn3: hello'
expect_err "n2: unable to find local executable file 'no-such-program'"
