# -p arms the nodes and sets the pending profile in the store, blanking the state and the
# installed profiles, and contacts no BMC: nodes without BMC attributes are fine.
mkdir -p "$CONFLUENT_ROOT/var/lib/confluent/public/os/rocky-9" && touch "$CONFLUENT_ROOT/var/lib/confluent/public/os/rocky-9/profile.yaml"
must nodedefine 'n[1-2]'
must nodeattrib n1 deployment.profile=old deployment.stagedprofile=older deployment.state=failed \
  deployment.state_detail=x deployment.state_last_updated=2024-01-01T00:00:00
must nodeattrib n2 deployment.apiarmed=continuous
run nodedeploy -p n1,n2 rocky-9
expect_rc 0
expect_out ""
expect_no_err
run nodeattrib n1,n2 deployment.apiarmed deployment.pendingprofile deployment.profile deployment.stagedprofile \
  deployment.state deployment.state_detail deployment.state_last_updated
expect_out "n1: deployment.apiarmed: once
n1: deployment.pendingprofile: rocky-9
n1: deployment.profile:
n1: deployment.stagedprofile:
n1: deployment.state:
n1: deployment.state_detail:
n1: deployment.state_last_updated:
n2: deployment.apiarmed: continuous
n2: deployment.pendingprofile: rocky-9
n2: deployment.profile:
n2: deployment.stagedprofile:
n2: deployment.state:
n2: deployment.state_detail:
n2: deployment.state_last_updated:"
run nodedeploy n1,n2
expect_out "n1: pending: rocky-9 (node authentication armed)
n2: pending: rocky-9 (node authentication armed)"
