# Sourced by the tests that network-boot diskless images in QEMU (imgutil_diskless_qemu,
# imgutil_capture): confluent-deployd on loopback with a certificate for the address the VMs
# reach it at, the VMs, the test marker service, and bounded waits on what they do.
#
# QEMU user networking with restrict=on: a guest reaches only 10.0.2.100:80 and :443, piped
# by socat to the service's plain and TLS ports on loopback. TCG (no usable KVM here).
# The caller sets vm_dir (logs and serial consoles go there) and calls vm_cleanup from its
# EXIT trap.
deployserver=10.0.2.100
svc_pid='' http_port='' https_port=''
declare -A vm_pids=() vm_macs=()
vm_started=$SECONDS

# vm_add_marker ROOT: a service in the image tree ROOT that runs after confluent-onboot and
# writes what the booted system sees to the serial port, on a line of its own.
vm_add_marker() {
  mkdir -p "$1/usr/local/sbin" "$1/etc/systemd/system/multi-user.target.wants"
  cat >"$1/usr/local/sbin/diskless-marker" <<'EOF'
#!/bin/sh
key=$(stat -c %a /etc/confluent/confluent.apikey 2>/dev/null)
hash=$(awk -F: '$1 == "root" { print $2 }' /etc/shadow)
method=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^confluent_imagemethod=//p')
nbd=$(cat /sys/block/nbd0/size 2>/dev/null || echo 0)
lower=$(findmnt -no SOURCE /run/confluent/root.ro || findmnt -no SOURCE /run/confluent/part1.ro)
boot=$(findmnt -no FSTYPE /boot || echo none)
parts=$(paste -sd, /etc/confluent-test-parts 2>/dev/null)
printf '\n' >/dev/ttyS0
echo "DISKLESS-MARKER host=$(hostname) root=$(findmnt -no FSTYPE /) rootdev=$(findmnt -no SOURCE /) lower=$lower boot=$boot apikey=$key hash=$hash onboot=$(systemctl is-active confluent-onboot.service) method=${method:-untethered} nbd=$nbd parts=${parts:-none}" >/dev/ttyS0
EOF
  chmod 755 "$1/usr/local/sbin/diskless-marker"
  cat >"$1/etc/systemd/system/diskless-marker.service" <<'EOF'
[Unit]
Description=diskless boot test marker
After=confluent-onboot.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/diskless-marker

[Install]
WantedBy=multi-user.target
EOF
  ln -sf ../diskless-marker.service "$1/etc/systemd/system/multi-user.target.wants/diskless-marker.service"
}

# vm_profile_args PROFILE [ARGS...]: the site's serial console, the server's address and ARGS
# on the profile's kernel command line (as a site sets them), then updateboot.
vm_profile_args() {
  local profile=$1 yaml=$CONFLUENT_ROOT/var/lib/confluent/public/os/$1/profile.yaml
  shift
  sed -i "/^kernelargs:/s/boot=confluent /boot=confluent confluent=$deployserver console=ttyS0,115200n8 $* /" "$yaml"
  must osdeploy updateboot "$profile"
}

# vm_service_start: the service on two free ports, its certificate signed by the site CA
# (osdeploy initialize -t) for 10.0.2.100.
vm_service_start() {
  local tls=$CONFLUENT_ROOT/etc/confluent/tls
  openssl req -new -key "$tls/srvkey.pem" -subj "/CN=$deployserver" -addext "subjectAltName=IP:$deployserver" \
    -out "$vm_dir/srv.csr" 2>/dev/null || fail "openssl req failed"
  openssl x509 -req -in "$vm_dir/srv.csr" -CA "$tls/cacert.pem" -CAkey "$tls/cakey.pem" -CAcreateserial \
    -copy_extensions copy -days 2 -out "$vm_dir/srvcert.pem" 2>/dev/null || fail "openssl x509 failed"
  svclog=$vm_dir/deployd.log
  timeout 1150 confluent-deployd --http 127.0.0.1:0 --https 127.0.0.1:0 --cert "$vm_dir/srvcert.pem" \
    --key "$tls/srvkey.pem" 2>"$svclog" &
  svc_pid=$!
  for _ in $(seq 1 100); do
    http_port=$(sed -n 's|^confluent-deployd: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$svclog" | head -n 1)
    https_port=$(sed -n 's|^confluent-deployd: listening on https://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$svclog" | head -n 1)
    [ -n "$http_port" ] && [ -n "$https_port" ] && return 0
    kill -0 "$svc_pid" 2>/dev/null || break
    sleep 0.1
  done
  fail "confluent-deployd did not report its ports within 10 s"
}

# vm_start NODE MAC [DISK]: a VM of 2 GiB (an untethered image is held in RAM) network
# booting by MAC; its serial console is $vm_dir/NODE.serial. Without DISK it has no disk and
# a reboot ends it; with DISK (a raw file) as its virtio disk, it boots from the network,
# then from the disk, as a node with that boot order does, and a reboot boots again.
vm_start() {
  local boot=(-boot n -no-reboot)
  [ -z "${3:-}" ] || boot=(-boot order=nc -drive "file=$3,format=raw,if=virtio")
  vm_macs[$1]=$2
  : >"$vm_dir/$1.serial"
  vm_started=$SECONDS
  timeout 600 qemu-system-x86_64 -accel tcg -cpu max -m 2048 -display none -vga none -machine graphics=off \
    -serial "file:$vm_dir/$1.serial" -monitor none "${boot[@]}" \
    -netdev "user,id=n0,restrict=on,guestfwd=tcp:$deployserver:80-cmd:socat - TCP:127.0.0.1:$http_port,guestfwd=tcp:$deployserver:443-cmd:socat - TCP:127.0.0.1:$https_port,bootfile=http://$deployserver/confluent-api/boot/by-mac/${2//:/-}/ipxe" \
    -device "virtio-net-pci,netdev=n0,mac=$2" </dev/null >"$vm_dir/$1.qemu.log" 2>&1 &
  vm_pids[$1]=$!
}

vm_stop_all() {
  local vm
  for vm in "${!vm_pids[@]}"; do
    kill "${vm_pids[$vm]}" 2>/dev/null  # timeout passes the signal on to qemu
    wait "${vm_pids[$vm]}" 2>/dev/null
    unset "vm_pids[$vm]"
  done
}

# logline METHOD PATH STATUS ("*": any) [NODE]: the number of the first such access log line
# (of NODE's or anonymous requests when NODE is given).
logline() {
  awk -v m="\"$1" -v p="$2\"" -v s="$3" -v n="${4:-}" \
    '$3 == m && $4 == p && (s == "*" || $5 == s) && (n == "" || $2 == n || $2 == "-") { print NR; exit }' "$svclog"
}
requested() { [ -n "$(logline "$@")" ]; }
console() { tr -d '\r' 2>/dev/null <"$vm_dir/$1.serial"; }
# The marker may follow a login prompt on the same line.
marker() { console "$1" | grep -ao 'DISKLESS-MARKER .*' | head -n 1; }
has_marker() { [ -n "$(marker "$1")" ]; }

# wait_until SECONDS WHAT COMMAND...: COMMAND succeeds within SECONDS of the last VM's start,
# one try a second; a failed boot or a dead service fails the test at once.
wait_until() {
  local limit=$1 what=$2 i vm
  shift 2
  for ((i = 0; i <= limit; i++)); do
    "$@" && return 0
    ((SECONDS - vm_started < limit)) || fail "$what: not within ${limit}s of the VMs' start"
    kill -0 "$svc_pid" 2>/dev/null || fail "$what: confluent-deployd exited first"
    for vm in "${!vm_macs[@]}"; do
      console "$vm" | grep -aq 'Kernel panic\|confluent: .*(panic\|failed\|cannot\|refused' &&
        fail "$what: the boot of $vm failed: $(console "$vm" | grep -a 'confluent: \|Kernel panic' | tail -n 3)"
    done
    sleep 1
  done
  fail "$what: not within $limit tries"
}

# expect_marker NODE WORD...: NODE's marker has each WORD (and its host name, the API key's
# mode, onboot done), and the root hash of the node's crypted.rootpassword (the tests set
# diskless-secret).
expect_marker() {
  local vm=$1 m want hash salt
  shift
  m=$(marker "$vm")
  for want in "host=$vm" "apikey=600" "onboot=active" "$@"; do
    [[ " $m " == *" $want "* ]] || fail "$vm: the marker lacks $want: $m"
  done
  hash=$(sed -n 's/.* hash=\([^ ]*\) .*/\1/p' <<<"$m")
  salt=$(cut -d'$' -f3 <<<"$hash")
  [ -n "$salt" ] && [ "$(openssl passwd -6 -salt "$salt" diskless-secret)" = "$hash" ] ||
    fail "$vm: the booted system's root hash is not the node's crypted.rootpassword: $hash"
}

# One socat per guest connection, double-forked by qemu (init's children): found by their
# command lines (our ports) and ended.
vm_stop_socats() {
  local i pids
  for i in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(ps -eo pid=,args= | awk -v a="socat - TCP:127.0.0.1:${http_port:-x}" -v b="socat - TCP:127.0.0.1:${https_port:-x}" \
      '{ p = $1; sub(/^ *[0-9]+ /, "") } $0 == a || $0 == b { print p }')
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086  # one pid per word
    [ "$i" -gt 5 ] && kill $pids 2>/dev/null
    sleep 0.2
  done
}

# vm_cleanup STATUS: the VMs, the service and the socats stopped; on failure, the logs.
vm_cleanup() {
  local vm
  vm_stop_all
  if [ -n "$svc_pid" ]; then
    kill "$svc_pid" 2>/dev/null
    wait "$svc_pid" 2>/dev/null
  fi
  vm_stop_socats
  [ "$1" -eq 0 ] && return 0
  [ -z "${svclog:-}" ] || { echo "--- confluent-deployd log (tail):" >&2; tail -n 30 "$svclog" >&2 2>/dev/null; }
  for vm in "${!vm_macs[@]}"; do
    echo "--- $vm serial console (tail, control sequences removed):" >&2
    tail -c 30000 "$vm_dir/$vm.serial" 2>/dev/null | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][0-9A-Za-z]//g' |
      tr -d '\r' | grep -av '^[[:space:]]*$' | tail -n 40 >&2
    echo "--- $vm qemu output:" >&2
    tail -n 10 "$vm_dir/$vm.qemu.log" >&2 2>/dev/null
  done
}
