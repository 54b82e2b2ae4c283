run nodegroupattrib nosuch location.rack=1
expect_rc 3
expect_err_has "group 'nosuch' does not exist"
