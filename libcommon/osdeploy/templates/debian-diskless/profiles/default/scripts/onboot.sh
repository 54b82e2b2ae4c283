#!/bin/sh
# Runs at every boot of a node booted from this profile (confluent-onboot.service, which the
# initramfs puts in the node's root): the scripts of onboot.d/, then the node's status. A
# diskless node reports that it booted its profile; a node that installimage wrote to disk
# (installtodisk) reports the deployment complete at its first boot from the disk.
# shellcheck source=/dev/null disable=SC2154  # the functions of the profile set confluent_*
. /etc/confluent/functions
confluent_setup || exit 1
confluent_run_parts onboot
if [ ! -e /etc/confluent/installtodisk ]; then
    confluent_status booted || echo "confluent: the server did not take the booted status" >&2
    echo "confluent: $confluent_node booted $confluent_profile"
elif [ -e /etc/confluent/firstboot.pending ]; then
    if confluent_status complete; then
        rm -f /etc/confluent/firstboot.pending
        echo "confluent: $confluent_node installed $confluent_profile on $(cat /etc/confluent/installtodisk)"
    else
        echo "confluent: the server did not take the complete status" >&2
    fi
fi
