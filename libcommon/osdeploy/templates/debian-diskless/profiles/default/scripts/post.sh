#!/bin/sh
# installtodisk only: installimage runs this chrooted in the new system on the disk, after
# the copy, fstab and GRUB and before it reports the deployment staged: the scripts of
# post.d/. A stateless boot does not run it.
# shellcheck source=/dev/null  # the functions exist only on the node
. /etc/confluent/functions
confluent_setup || exit 1
confluent_run_parts post
exit 0
