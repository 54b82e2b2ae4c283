must nodedefine node
run nodeattrib node custom.x='{n1}'
expect_rc 0
run nodeattrib node custom.x
expect_rc 0
expect_out 'node: custom.x: *ERROR* BROKEN EXPRESSION: list index out of range (derived from expression "{n1}")'
