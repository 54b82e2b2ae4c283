#!/bin/sh
# Runs once, on the first boot of the installed CoreOS system, after post.sh (the
# confluent-firstboot unit of ignition.json): runs the scripts of firstboot.d/ and reports
# the deployment complete.
. /etc/confluent/functions
confluent_setup || exit 1
confluent_run_parts firstboot
confluent_status complete
touch /etc/confluent/firstboot.ran
exit 0
