run nodedefine 'n[10,9,1-2]'
expect_rc 0
expect_out $'n1: created\nn2: created\nn9: created\nn10: created'
run nodelist
expect_out $'n1\nn2\nn9\nn10'
