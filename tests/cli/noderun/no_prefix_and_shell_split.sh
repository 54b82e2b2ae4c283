must nodedefine 'n[1-2]'
run noderun -n n1 printf "'%s|%s\n'" "'two words'" 'x\ y'
expect_rc 0
expect_out "two words|x y"
