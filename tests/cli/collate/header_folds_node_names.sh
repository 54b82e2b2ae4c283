# The header is the group's nodes folded into a noderange, not a comma list.
input=""
for n in 1 2 3 4 7 8 9 10 11 12; do input+="n$n: 6.1.0-18-amd64"$'\n'; done
input+=$'n5: 6.1.0-13-amd64\nn6: 6.1.0-13-amd64\nr1u01: x\nr1u02: x\nr2u01: x\nr2u02: x\n'
run_input "$input" collate
expect_rc 0
expect_out "====================================
n[1-4,7-12]
====================================
6.1.0-18-amd64

====================================
r[1-2]u[01-02]
====================================
x

====================================
n[5-6]
====================================
6.1.0-13-amd64"
