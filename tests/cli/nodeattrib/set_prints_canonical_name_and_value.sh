must nodedefine 'n[1-2]'
run nodeattrib 'n[1-2]' bmc=10.0.0.1 location.rack=4
expect_rc 0
expect_out $'n1: hardwaremanagement.manager: 10.0.0.1\nn2: hardwaremanagement.manager: 10.0.0.1\nn1: location.rack: 4\nn2: location.rack: 4'
