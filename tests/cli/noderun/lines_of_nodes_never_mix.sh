# 50 nodes each write 200 long lines in small pieces; every output line must be whole.
must nodedefine 'n[1-50]'
run noderun 'n[1-50]' "sh -c 'i=0; while [ \$i -lt 200 ]; do printf \"{node}-%0100d\" \$i; printf \"\\n\"; i=\$((i+1)); done'"
expect_rc 0
[ "$(wc -l <<<"$out")" = 10000 ] || fail "expected 10000 lines"
bad=$(grep -cvE '^(n[0-9]+): \1-[0-9]{100}$' <<<"$out")
[ "$bad" = 0 ] || fail "$bad lines are mixed or cut"
