#!/bin/sh
# dracut cmdline hook of confluent's diskless boot: with boot=confluent, the root is the
# profile's image, which the netroot handler of root=confluent (/sbin/confluentroot) mounts
# once the network is up.
# shellcheck disable=SC2034  # root, netroot and rootok are read by dracut's init
# shellcheck disable=SC2154  # hookdir comes from dracut
if [ "$(getarg boot=)" = confluent ]; then
    root=confluent
    netroot=confluent
    rootok=1
    # The network is needed, by DHCP unless ip= says otherwise.
    mkdir -p /etc/cmdline.d
    {
        echo rd.neednet=1
        getarg ip= > /dev/null || echo ip=dhcp
    } > /etc/cmdline.d/90-confluent.conf
    # The initqueue waits for the root, or for the handler to have given up (die).
    # shellcheck disable=SC2016  # expanded by dracut's init
    echo '[ -d "$NEWROOT/proc" ] || [ -e /run/initramfs/.die ]' > "$hookdir/initqueue/finished/confluent.sh"
fi
