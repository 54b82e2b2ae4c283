must nodedefine n1
export info_note="from env" LOCATION_ROOM=upper
run nodeattrib n1 -e info.note location.room
expect_rc 0
run nodeattrib n1 info.note location.room
expect_out $'n1: info.note: from env\nn1: location.room: upper'
run nodeattrib n1 -e location.row
expect_rc 2
expect_err_has "neither location_row nor LOCATION_ROW is set in the environment"
