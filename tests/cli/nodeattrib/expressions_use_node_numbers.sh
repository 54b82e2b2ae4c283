must nodedefine 'r[1-2]u[09-10]'
must nodeattrib 'r[1-2]u[09-10]' net.mgt.ipv4_address='172.30.{n1}.{n2+100}' custom.label='rack{n1}-u{n2:03d}'
run nodeattrib r2u10 net.mgt.ipv4_address custom.label
expect_out $'r2u10: custom.label: rack2-u010\nr2u10: net.mgt.ipv4_address: 172.30.2.110'
