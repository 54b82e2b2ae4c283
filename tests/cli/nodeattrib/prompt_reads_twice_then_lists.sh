must nodedefine n1
run_input $'pw1\npw1\n' nodeattrib n1 -p bmcpass
expect_rc 0
expect_out "n1: secret.hardwaremanagementpassword: ********"
expect_err_has "Enter value for bmcpass: "
expect_err_has "Confirm value for bmcpass: "
run_input $'a\nb\nc\nc\n' nodeattrib n1 -p info.note
expect_err_has "Values did not match."
expect_out "n1: info.note: c"
