# 4096 nodes at concurrency 4096: all run at once (each sleeps 3 s), none is lost.
must nodedefine 'm[1-4096]'
start=$SECONDS
run noderun -f 4096 'm[1-4096]' "sh -c 'sleep 3; echo {node}'"
elapsed=$((SECONDS - start))
expect_rc 0
[ "$(wc -l <<<"$out")" = 4096 ] || fail "expected 4096 lines"
[ "$(sort -u <<<"$out" | wc -l)" = 4096 ] || fail "duplicate lines"
[ "$elapsed" -lt 90 ] || fail "4096 children took ${elapsed} s: not run at once"
