# Without a profile, one status line per node in natural order, for every state.
must nodedefine 'n[1-6]'
must nodeattrib n1 deployment.pendingprofile=p1 deployment.apiarmed=once
must nodeattrib n2 deployment.pendingprofile=p1
must nodeattrib n3 deployment.stagedprofile=p2 deployment.state=installing deployment.state_detail='post scripts'
must nodeattrib n4 deployment.profile=p3 deployment.state=succeeded deployment.state_last_updated=2024-05-01T10:00:00
must nodeattrib n5 deployment.state=failed deployment.state_detail=disk deployment.state_last_updated=2024-05-02T11:00:00
run nodedeploy 'n6,n5,n1-n4'
expect_rc 0
expect_no_err
expect_out "n1: pending: p1 (node authentication armed)
n2: pending: p1
n3: staged: p2 (state: installing: post scripts)
n4: completed: p3 (state: succeeded - 2024-05-01T10:00:00)
n5: No profile pending or applied (state: failed: disk - 2024-05-02T11:00:00)
n6: No profile pending or applied"
