must nodedefine n1
run nodedefine 'n[1-2]' location.room=lab
expect_rc 0
expect_out $'n1: updated\nn2: created'
run nodeattrib n1 location.room
expect_out "n1: location.room: lab"
