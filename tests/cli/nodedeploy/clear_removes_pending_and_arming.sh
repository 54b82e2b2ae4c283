# -c blanks the pending profile and the arming, even a group's, and says so per node.
must nodegroupdefine compute deployment.apiarmed=continuous
must nodedefine 'n[1-2]' groups=compute
must nodeattrib n1 deployment.pendingprofile=rocky-9 deployment.profile=rocky-8
run nodedeploy -c n1,n2
expect_rc 0
expect_no_err
expect_out "n1: pending deployment cleared
n2: pending deployment cleared"
run nodeattrib n1 deployment.pendingprofile deployment.apiarmed deployment.profile
expect_out "n1: deployment.apiarmed:
n1: deployment.pendingprofile:
n1: deployment.profile: rocky-8"
run nodedeploy n1,n2
expect_out "n1: completed: rocky-8
n2: No profile pending or applied"
run nodedeploy -c n1 rocky-9
expect_rc 2
expect_err_has "-c takes no profile"
