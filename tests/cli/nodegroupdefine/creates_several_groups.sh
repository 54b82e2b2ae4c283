run nodegroupdefine rack1,rack2 location.room=r100
expect_rc 0
expect_out $'rack1: created\nrack2: created'
run nodegroupattrib rack2 location.room
expect_out "rack2: location.room: r100"
run nodegrouplist
expect_out $'everything\nrack1\nrack2'
