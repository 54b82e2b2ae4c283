# -w redraws only on a terminal: into a pipe the groups are printed once, without
# screen control codes.
input=$'n1: on\nn2: on\nn3: off\n'
run_input "$input" collate
plain=$out
run_input "$input" collate -w
expect_rc 0
expect_out "$plain"
[[ "$out" != *$'\x1b'* ]] || fail "escape codes in a pipe"
