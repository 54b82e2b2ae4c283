#!/bin/sh
# Runs at every boot of a diskless node (confluent-onboot.service, which the initramfs puts in
# the node's RAM overlay): the scripts of onboot.d/, then tells the deployment server that
# the node booted its profile.
# shellcheck source=/dev/null disable=SC2154  # the functions of the profile set confluent_*
. /etc/confluent/functions
confluent_setup || exit 1
confluent_run_parts onboot
confluent_status booted || echo "confluent: the server did not take the booted status" >&2
echo "confluent: $confluent_node booted $confluent_profile"
