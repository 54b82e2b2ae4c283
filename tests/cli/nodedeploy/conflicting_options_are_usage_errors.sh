# Options that do not go together exit 2 before anything changes.
must nodedefine n1
run nodedeploy -c -r n1
expect_rc 2
expect_err_has "-c and -r exclude each other"
run nodedeploy -p n1
expect_rc 2
expect_err_has "-n and -p need a profile or -r"
run nodedeploy -r n1 rocky-9
expect_rc 2
expect_err_has "-r takes no profile"
run nodedeploy n9
expect_rc 3
