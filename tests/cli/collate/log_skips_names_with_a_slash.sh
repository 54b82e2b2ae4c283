# -l never lets a node name from the input lead the file elsewhere: such a node is
# warned about once and not logged; the others are.
mkdir logs
run_input $'../x: evil\n../x: again\nn1: fine\n' collate -l 'logs/{node}.log'
expect_rc 0
expect_err "collate: warning: not logging node '../x': its name cannot be part of a file name"
[ ! -e x.log ] || fail "wrote outside the log directory"
[ "$(cat logs/n1.log)" = "fine" ] || fail "n1.log holds: $(cat logs/n1.log)"
