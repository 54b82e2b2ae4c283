#!/bin/sh
# installtodisk only: installimage runs this in the node's assembled image (in RAM) before
# it touches any disk: the scripts of pre.d/ (a site's checks, or the choice of a disk). A
# stateless boot does not run it.
# shellcheck source=/dev/null  # the functions exist only on the node
. /etc/confluent/functions
confluent_setup || exit 1
confluent_run_parts pre
exit 0
