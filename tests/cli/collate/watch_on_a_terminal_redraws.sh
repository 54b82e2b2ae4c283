# -w on a terminal: the screen is cleared before the groups are drawn; input that pauses
# gives a first view before the final one.
mkfifo in.fifo
script -qec "collate -w < in.fifo" /dev/null > screen.txt </dev/null &
pid=$!
{ printf 'n1: on\nn2: on\n'; sleep 0.8; printf 'n3: off\n'; } > in.fifo
wait "$pid"
rc=$?
expect_rc 0
out=$(tr -d '\r' < screen.txt)
clear=$'\x1b[2J\x1b[;H'
first="${clear}====================================
n[1-2]
====================================
on
"
[[ "$out" == "$first"* ]] || fail "no first view of n[1-2] alone"
[[ "$out" == *"${clear}====================================
n[1-2]
====================================
on

====================================
n3
====================================
off" ]] || fail "the last view is not the final groups"
