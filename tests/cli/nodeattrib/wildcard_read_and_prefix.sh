must nodedefine n1
must nodeattrib n1 net.mgt.switch=sw1 net.data.switch=sw2 location.rack=1
run nodeattrib n1 'net.*switch'
expect_out $'n1: net.data.switch: sw2\nn1: net.mgt.switch: sw1\nn1: net.switch:'
run nodeattrib n1 location
expect_out_has "n1: location.rack: 1"
expect_out_has "n1: location.room:"
