# A line without ": " belongs to UNKNOWN; "n1:x" has no ": " either; empty lines are skipped.
run_input $'n1: ok\n\nconnection refused\nn1:x\n\nn2: ok\n' collate
expect_rc 0
expect_out "====================================
n[1-2]
====================================
ok

====================================
UNKNOWN
====================================
connection refused
n1:x"
