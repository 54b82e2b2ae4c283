#!/bin/sh
# Runs in the installer before any disk is touched (started by the installer config):
# registers this node's API key, fetches its deploycfg and runs the scripts of pre.d/.
. /etc/confluent/functions
confluent_setup || exit 1
confluent_register || echo "confluent: no API key (is the node armed by nodedeploy?), continuing" >&2
confluent_deploycfg || echo "confluent: no deploycfg, the installer defaults apply" >&2
confluent_run_parts pre
exit 0
