must nodedefine 'n[1-3]'
start=$SECONDS
# A sleep length no other process uses, so that only this run's processes are looked for.
nap="30.$$$RANDOM"
run noderun -t 1 'n[1-3]' "sh -c 'if [ {n1} = 2 ]; then sleep $nap & sleep $nap; fi; echo done'"
[ $((SECONDS - start)) -lt 10 ] || fail "the timeout did not stop the run"
expect_rc 124
out=$(sort <<<"$out")  # nodes that finish in different rounds may come in either order
expect_out $'n1: done\nn3: done'
expect_err "n2: timed out"
# Killed processes may linger briefly as zombies until reaped; only a live one is a failure.
live() { pgrep -f "sleep $nap" | xargs -r ps -o stat= -p 2>/dev/null | grep -vc '^Z'; }
for _ in $(seq 1 20); do [ "$(live)" = 0 ] && break; sleep 0.1; done
[ "$(live)" = 0 ] || fail "a process of the timed-out node survived"
