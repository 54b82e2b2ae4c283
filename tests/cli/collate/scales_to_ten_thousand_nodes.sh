# 10,000 nodes x 10 lines collate in well under a second (allowing for a loaded machine).
awk 'BEGIN { for (l = 0; l < 10; l++) for (n = 1; n <= 10000; n++)
  printf "n%d: line %d %s\n", n, l, (n % 100 ? "same" : "odd" n % 3) }' > big.txt
start=$(date +%s%N)
out=$(collate -c -d < big.txt)
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc 0
expect_out_has "Count: 9900"
expect_out_has "n[100,400,700"
[ "$(grep -c '^Count:' <<<"$out")" -eq 4 ] || fail "expected 4 groups"
[ "$ms" -lt 2000 ] || fail "took ${ms} ms"
