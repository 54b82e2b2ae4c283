must nodegroupdefine compute 'bmc={node}-xcc' bmcpass=secret
must nodedefine 'n[1-3]' groups=compute
run noderun 'n[1-3]' echo '{node}' '{n1+10}' '{bmc}' '[{bmcpass}]' '{{literal}}'
expect_rc 0
out=$(sort <<<"$out")  # nodes that finish in different rounds may come in either order
expect_out $'n1: n1 11 n1-xcc [] {literal}\nn2: n2 12 n2-xcc [] {literal}\nn3: n3 13 n3-xcc [] {literal}'
expect_no_err
