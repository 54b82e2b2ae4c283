must nodedefine 'n[1-20]'
run nodelist '~^n1.$'
expect_out "$(printf 'n%s\n' 10 11 12 13 14 15 16 17 18 19)"
run nodelist 'everything<18'
expect_out $'n19\nn20'
run nodelist 'n[1-5]@everything>2'
expect_out $'n1\nn2'
