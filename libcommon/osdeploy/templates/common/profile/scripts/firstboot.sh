#!/bin/sh
# Runs once, on the first boot of the installed system (confluent-firstboot.service): runs
# the scripts of firstboot.d/, reports the deployment complete and disables itself.
. /etc/confluent/functions
confluent_setup || exit 1
confluent_run_parts firstboot
confluent_status complete
touch /etc/confluent/firstboot.ran
systemctl disable confluent-firstboot.service 2> /dev/null
exit 0
