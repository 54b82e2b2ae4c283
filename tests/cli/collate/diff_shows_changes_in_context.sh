# -d: the most common output in full, the others as "@@" runs of the lines within three
# lines of a change, prefixed "  ", "- " and "+ "; no colour in a pipe.
input=""
for n in n1 n2 n4; do
  for i in $(seq 1 14); do input+="$n: line $i"$'\n'; done
done
for i in $(seq 1 14); do
  case $i in
    2) input+=$'n3: line 2 changed\n' ;;
    12) ;;
    *) input+="n3: line $i"$'\n' ;;
  esac
done
input+=$'n3: line 15\n'
run_input "$input" collate -d -s
expect_rc 0
expect_out "====================================
n3
====================================
@@
  line 1
- line 2
+ line 2 changed
  line 3
  line 4
  line 5
@@
  line 9
  line 10
  line 11
- line 12
  line 13
  line 14
+ line 15"
[[ "$out" != *$'\x1b'* ]] || fail "colour in a pipe"
# Without -s the most common output comes first, in full.
run_input "$input" collate -d
expect_out_has "$(printf '%s\n' '====================================' 'n[1-2,4]' '====================================' 'line 1' 'line 2' 'line 3')"
