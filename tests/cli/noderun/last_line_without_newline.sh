must nodedefine 'n[1-2]'
run noderun 'n[1-2]' "printf 'a\nb'"
expect_rc 0
[ "$(grep '^n1:' <<<"$out")" = $'n1: a\nn1: b' ] || fail "n1's lines"
[ "$(grep '^n2:' <<<"$out")" = $'n2: a\nn2: b' ] || fail "n2's lines"
[ "$(wc -l <<<"$out")" = 4 ] || fail "expected 4 lines"
