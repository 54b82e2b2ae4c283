must nodedefine n1
run nodeattrib n1 info.note=x location.rack
expect_rc 2
expect_err_has "cannot set and read at the same time"
run nodeattrib n1 -c info.note=x
expect_rc 2
expect_err_has "cannot clear and set at the same time"
run nodeattrib n1 location.rack info.note=x
expect_rc 2
expect_err_has "cannot set and read at the same time: 'location.rack' has no '='"
