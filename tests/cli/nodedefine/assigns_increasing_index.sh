must nodedefine 'n[1-3]'
must nodedefine n4
run nodeattrib 'n[1-4]' id.index
expect_out $'n1: id.index: 1\nn2: id.index: 2\nn3: id.index: 3\nn4: id.index: 4'
