must nodedefine n1
cat > batch <<'B'
location.rack=3   # the rack
info.note="two words" location.room=lab
B
run nodeattrib n1 -s batch
expect_rc 0
run nodeattrib n1 info.note location.rack location.room
expect_out $'n1: info.note: two words\nn1: location.rack: 3\nn1: location.room: lab'
