# -r deploys again the node's pending profile, else its staged one, else its completed one;
# a node with none of them, or whose profile is gone, fails alone.
for p in a b c; do mkdir -p "$CONFLUENT_ROOT/var/lib/confluent/public/os/$p"; done
must nodedefine 'n[1-5]'
must nodeattrib n1 deployment.pendingprofile=a deployment.stagedprofile=b deployment.profile=c
must nodeattrib n2 deployment.stagedprofile=b deployment.profile=c
must nodeattrib n3 deployment.profile=c deployment.state=failed
must nodeattrib n5 deployment.profile=gone
run nodedeploy -p -r 'n[1-5]'
expect_rc 1
expect_out ""
expect_err "n4: error: no profile pending, staged or applied to redeploy
n5: error: profile 'gone' is not an available profile"
run nodedeploy 'n[1-5]'
expect_out "n1: pending: a (node authentication armed)
n2: pending: b (node authentication armed)
n3: pending: c (node authentication armed)
n4: No profile pending or applied
n5: completed: gone"
