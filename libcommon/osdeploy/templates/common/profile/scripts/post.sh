#!/bin/sh
# Runs inside the installed system (chroot) at the end of the installation: applies the
# node's deploycfg (root password, host name, time zone), installs the service that runs
# firstboot.sh, runs the scripts of post.d/ and reports the profile staged.
. /etc/confluent/functions
confluent_setup || exit 1
confluent_register || echo "confluent: no API key (is the node armed by nodedeploy?), continuing" >&2
confluent_deploycfg || echo "confluent: no deploycfg, keeping the installer defaults" >&2
rootpw=$(confluent_cfg rootpassword)
[ -n "$rootpw" ] && usermod -p "$rootpw" root
[ -n "$confluent_node" ] && echo "$confluent_node" > /etc/hostname
tz=$(confluent_cfg timezone)
[ -n "$tz" ] && [ -e "/usr/share/zoneinfo/$tz" ] && ln -sf "/usr/share/zoneinfo/$tz" /etc/localtime
confluent_fetch scripts/firstboot.sh /etc/confluent/firstboot.sh && chmod +x /etc/confluent/firstboot.sh
cat > /etc/systemd/system/confluent-firstboot.service <<'UNIT'
[Unit]
Description=Confluent first boot configuration
Wants=network-online.target
After=network-online.target
ConditionPathExists=!/etc/confluent/firstboot.ran

[Service]
Type=oneshot
ExecStart=/etc/confluent/firstboot.sh
RemainAfterExit=yes

[Install]
WantedBy=multi-user.target
UNIT
systemctl enable confluent-firstboot.service
confluent_run_parts post
confluent_status staged
exit 0
