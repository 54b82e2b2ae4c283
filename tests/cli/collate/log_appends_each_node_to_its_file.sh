# -l TEMPLATE: each node's lines, without the node name, appended to its own file;
# the groups are still printed.
mkdir logs
run_input $'n1: on\nn2: on\nn1: second\nn2: second\nbare line\n' collate -l 'logs/{node}.log'
expect_rc 0
expect_out_has "n[1-2]"
[ "$(cat logs/n1.log)" = $'on\nsecond' ] || fail "n1.log holds: $(cat logs/n1.log)"
[ "$(cat logs/UNKNOWN.log)" = "bare line" ] || fail "UNKNOWN.log holds: $(cat logs/UNKNOWN.log)"
run_input $'n1: third\n' collate -l 'logs/{node}.log'
[ "$(cat logs/n1.log)" = $'on\nsecond\nthird' ] || fail "n1.log was not appended to"
[ "$(LC_ALL=C ls logs | tr "\n" " ")" = "UNKNOWN.log n1.log n2.log " ] || fail "log files: $(ls logs)"
