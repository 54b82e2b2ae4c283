#!/bin/sh
# Runs once, on the first boot of the installed ESXi (%firstboot of ks.cfg): sets the root
# password from the node's deploycfg, runs the scripts of firstboot.d/ and reports the
# deployment complete.
. /etc/confluent/functions
confluent_setup || exit 1
confluent_register || echo "confluent: no API key (is the node armed by nodedeploy?), continuing" >&2
if confluent_deploycfg; then
    rootpw=$(confluent_cfg rootpassword)
    if [ -n "$rootpw" ]; then
        sed -i "s|^root:[^:]*:|root:$rootpw:|" /etc/shadow && /sbin/auto-backup.sh > /dev/null
    fi
fi
confluent_run_parts firstboot
confluent_status complete
exit 0
