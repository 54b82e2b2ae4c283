#!/bin/sh
# Runs on the first boot of the installed CoreOS system, after pre.sh (CoreOS has no
# installer hooks: coreos-installer writes the image, then the confluent-firstboot unit of
# ignition.json runs pre.sh, post.sh and firstboot.sh). Applies the node's deploycfg (root
# password, host name), runs the scripts of post.d/ and reports the profile staged.
. /etc/confluent/functions
confluent_setup || exit 1
confluent_register || echo "confluent: no API key (is the node armed by nodedeploy?), continuing" >&2
confluent_deploycfg || echo "confluent: no deploycfg, keeping the image defaults" >&2
rootpw=$(confluent_cfg rootpassword)
[ -n "$rootpw" ] && usermod -p "$rootpw" root
[ -n "$confluent_node" ] && hostnamectl set-hostname "$confluent_node"
confluent_run_parts post
confluent_status staged
exit 0
