#!/bin/sh
# installtodisk only: onboot.sh runs this at the first boot from the disk, before the
# scripts of onboot.d/: the scripts of firstboot.d/, then the deployment reported complete
# (deployment.profile set, the staged profile cleared). Until the server takes that, it runs
# again at the next boot.
# shellcheck source=/dev/null disable=SC2154  # the functions of the profile set confluent_*
. /etc/confluent/functions
confluent_setup || exit 1
confluent_run_parts firstboot
if ! confluent_status complete; then
    echo "confluent: the server did not take the complete status" >&2
    exit 1
fi
rm -f /etc/confluent/firstboot.pending
echo "confluent: $confluent_node installed $confluent_profile on $(cat /etc/confluent/installtodisk)"
exit 0
