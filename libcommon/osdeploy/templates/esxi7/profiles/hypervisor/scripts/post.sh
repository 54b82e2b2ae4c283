#!/bin/sh
# Runs in the ESXi installer once the system is written (%post of ks.cfg): runs the scripts
# of post.d/ and reports the profile staged. Node settings are applied by firstboot.sh, in
# the installed system.
. /etc/confluent/functions
confluent_setup || exit 1
confluent_register || echo "confluent: no API key (is the node armed by nodedeploy?), continuing" >&2
confluent_run_parts post
confluent_status staged
exit 0
