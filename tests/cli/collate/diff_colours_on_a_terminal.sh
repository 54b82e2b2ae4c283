# -d on a terminal colours "- " lines red and "+ " lines green, unless NO_COLOR is set.
printf 'n1: a\nn2: a\nn3: b\n' > input.txt
out=$(script -qec "collate -d < input.txt" /dev/null)
rc=$?
expect_rc 0
expect_out_has $'\x1b[31m- a\x1b[0m'
expect_out_has $'\x1b[32m+ b\x1b[0m'
out=$(NO_COLOR=1 script -qec "collate -d < input.txt" /dev/null)
expect_out_has "- a"
expect_out_lacks $'\x1b['
