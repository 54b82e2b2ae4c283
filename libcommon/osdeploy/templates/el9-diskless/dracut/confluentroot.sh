#!/bin/sh
# The netroot handler of root=confluent (parse-confluent.sh), run by dracut's network scripts
# as "confluentroot <interface> confluent <newroot>" when an interface is up: the steps of
# scripts/confluent after the network (confluent_boot), on dracut's network, with the
# interface, its DHCP answer and dracut's die for initramfs-tools' DEVICE, ROOTSERVER and panic.
# shellcheck disable=SC1090,SC1091  # sourced files exist only in the initramfs
# shellcheck disable=SC2013  # /proc/cmdline is read word by word, as the kernel splits it
# shellcheck disable=SC2034,SC2154  # DEVICE, ROOTSERVER, rootmnt, quiet: for scripts/confluent
PATH=/usr/sbin:/usr/bin:/sbin:/bin
command -v getarg > /dev/null || . /lib/dracut-lib.sh
rootmnt=${3:-/sysroot}
[ -d "$rootmnt/proc" ] && exit 0  # booted through another interface
DEVICE=$1
ROOTSERVER=''
if [ -e "/tmp/dhclient.$DEVICE.dhcpopts" ]; then
    . "/tmp/dhclient.$DEVICE.dhcpopts"
    ROOTSERVER=${new_next_server:-$new_dhcp_server_identifier}
fi
quiet=''
for word in $(cat /proc/cmdline); do
    [ "$word" = quiet ] && quiet=y
done
panic() {
    die "$*"
}
. /scripts/confluent
confluent_boot
