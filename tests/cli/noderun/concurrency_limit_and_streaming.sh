# -f 2 runs two at a time; a slow node does not hold back the output of fast ones.
must nodedefine 'n[1-4]'
start=$(date +%s%N)
run noderun -f 2 'n[1-4]' sleep 1
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc 0
[ "$elapsed" -ge 1900 ] || fail "-f 2 ran more than two at once (${elapsed} ms)"
[ "$elapsed" -lt 20000 ] || fail "-f 2 took ${elapsed} ms"
run noderun 'n[1-3]' "sh -c 'if [ {n1} = 1 ]; then sleep 2; fi; echo {node}'"
expect_rc 0
# n2 and n3 come in whatever order they finish; the slow n1 comes last.
[ "$(tail -n 1 <<<"$out")" = "n1: n1" ] || fail "the slow node held back the others"
[ "$(sort <<<"$out")" = $'n1: n1\nn2: n2\nn3: n3' ] || fail "lines are missing"
