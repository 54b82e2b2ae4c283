make_cluster
must nodeattrib n1 location.rack=5
run nodeattrib n1 -c location.rack
expect_rc 0
expect_err_has "n1: attribute 'location.rack' was defined specifically for the node and clearing now has a value inherited from the group 'rack1'"
run nodeattrib n1 location.rack
expect_out "n1: location.rack: 1"
run nodeattrib n1 -c location.rack
expect_err_has "inherited from group 'rack1', leaving the inherited value alone"
run nodeattrib n1 -c nosuch.attr
expect_rc 4
expect_err_has "no attribute matches 'nosuch.attr'"
