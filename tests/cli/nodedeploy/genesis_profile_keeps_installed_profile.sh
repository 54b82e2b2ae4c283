# A genesis- profile (a utility image) leaves the staged and completed profiles alone.
mkdir -p "$CONFLUENT_ROOT/var/lib/confluent/public/os/genesis-x86_64"
must nodedefine n1
must nodeattrib n1 deployment.profile=rocky-9 deployment.stagedprofile=rocky-10 deployment.state=done
run nodedeploy -p n1 genesis-x86_64
expect_rc 0
run nodeattrib n1 deployment.pendingprofile deployment.profile deployment.stagedprofile deployment.state
expect_out "n1: deployment.pendingprofile: genesis-x86_64
n1: deployment.profile: rocky-9
n1: deployment.stagedprofile: rocky-10
n1: deployment.state:"
