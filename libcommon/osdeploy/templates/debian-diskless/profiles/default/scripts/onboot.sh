#!/bin/sh
# Runs at every boot of a node booted from this profile (confluent-onboot.service, which the
# initramfs puts in the node's root). A diskless node runs the scripts of onboot.d/ and
# reports that it booted its profile. A node that installimage wrote to disk (installtodisk)
# runs the profile's firstboot.sh at its first boot from the disk (firstboot.d/, then the
# deployment reported complete), then the scripts of onboot.d/ at every boot.
# shellcheck source=/dev/null disable=SC2154  # the functions of the profile set confluent_*
. /etc/confluent/functions
confluent_setup || exit 1
if [ -e /etc/confluent/firstboot.pending ]; then  # left only by installimage
    if confluent_fetch scripts/firstboot.sh /etc/confluent/firstboot.sh; then
        /bin/sh /etc/confluent/firstboot.sh
    else
        echo "confluent: cannot get scripts/firstboot.sh of profile $confluent_profile" >&2
    fi
fi
confluent_run_parts onboot
if [ ! -e /etc/confluent/installtodisk ]; then
    confluent_status booted || echo "confluent: the server did not take the booted status" >&2
    echo "confluent: $confluent_node booted $confluent_profile"
fi
