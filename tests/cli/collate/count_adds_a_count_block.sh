# -c: after the header, "Count: N" and another rule line.
run_input $'n1: console.method: ipmi\nn2: console.method: ipmi\nn3: console.method: redfish\n' collate -c
expect_rc 0
expect_out "====================================
n[1-2]
====================================
Count: 2
====================================
console.method: ipmi

====================================
n3
====================================
Count: 1
====================================
console.method: redfish"
