must nodedefine 'n[1-3]'
start=$SECONDS
run noderun -t 1 'n[1-3]' "sh -c 'if [ {n1} = 2 ]; then sleep 30 & sleep 30; fi; echo done'"
[ $((SECONDS - start)) -lt 10 ] || fail "the timeout did not stop the run"
expect_rc 124
expect_out $'n1: done\nn3: done'
expect_err "n2: timed out"
sleep 0.2
! pgrep -f 'sleep 30' >/dev/null || fail "a process of the timed-out node survived"
