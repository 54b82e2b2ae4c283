make_cluster
must nodedefine x1
run noderange -f 'n[1-3],x1'
expect_out "rack1,x1"
run noderange -f --no-groups 'n[1-3],x1'
expect_out "n[1-3],x1"
run noderange -e rack2,foo
expect_out $'foo\nn4\nn5\nn6'
