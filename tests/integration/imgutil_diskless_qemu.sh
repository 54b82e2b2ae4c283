# End to end, diskless: a QEMU VM network-boots the Debian 12 image that `imgutil build` made
# (the imgutil_debian_image fixture: IMGUTIL_TEST_IMAGE), packed encrypted by `imgutil pack`,
# through confluent-deployd, and prints a marker on its serial console from inside the
# booted image. On the way, the image's own initramfs (initramfs-tools with confluent's
# boot=confluent script, put in by imgutil build): DHCP, self/whoami by MAC, registerapikey,
# deploycfg2, the whole rootimg.sfs into RAM over HTTPS checked against the site CA, the key
# from self/profileprivate, dm-crypt in the VM's kernel, squashfs under a RAM overlay,
# switch_root; then systemd, the profile's onboot.sh and updatestatus booted. A second
# node, booting at the same time, tethered: the image read on demand with HTTP range
# requests (nbdkit, nbd-client).
#
# The image is not changed: the test packs an overlay of it (with a marker unit) mounted here.
# QEMU user networking with restrict=on: the guest reaches only 10.0.2.100:80 and :443, piped
# by socat to the service's plain and TLS ports on loopback. TCG (no usable KVM here).
deployserver=10.0.2.100
profile=debian12-diskless
work=$CONFLUENT_ROOT/diskless
svclog=$work/deployd.log
lib=$CONFLUENT_ROOT/var/lib/confluent
tree=${IMGUTIL_TEST_IMAGE:-}
[ -n "$tree" ] || fail "IMGUTIL_TEST_IMAGE is not set (the imgutil_debian_image fixture provides it)"
[ -x "$tree/usr/bin/systemctl" ] && ls "$tree"/boot/vmlinuz-* >/dev/null 2>&1 ||
  fail "IMGUTIL_TEST_IMAGE=$tree is not a built Debian image with a kernel (did imgutil_debian_image pass?)"
for tool in qemu-system-x86_64 socat curl openssl mksquashfs; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps)"
done
[ "$(id -u)" -eq 0 ] || fail "mounting the overlay needs root"
mkdir -p "$work/upper" "$work/ovl" "$work/image"

svc_pid='' mounted=''
show_logs() {
  local vm
  echo "--- confluent-deployd log (tail):" >&2
  tail -n 30 "$svclog" >&2 2>/dev/null
  for vm in vm1 vm2; do
    echo "--- $vm serial console (tail, control sequences removed):" >&2
    tail -c 30000 "$work/$vm.serial" 2>/dev/null | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][0-9A-Za-z]//g' |
      tr -d '\r' | grep -av '^[[:space:]]*$' | tail -n 40 >&2
    echo "--- $vm qemu output:" >&2
    tail -n 10 "$work/$vm.qemu.log" >&2 2>/dev/null
  done
}
stop_vms() {
  local vm
  for vm in "${!vm_pids[@]}"; do
    kill "${vm_pids[$vm]}" 2>/dev/null  # timeout passes the signal on to qemu
    wait "${vm_pids[$vm]}" 2>/dev/null
    unset "vm_pids[$vm]"
  done
}
# One socat per guest connection, double-forked by qemu (init's children): found by their
# command lines (our ports) and ended.
stop_socats() {
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
cleanup() {
  local status=$?
  [ -z "${vm_pids+x}" ] || stop_vms
  if [ -n "$svc_pid" ]; then
    kill "$svc_pid" 2>/dev/null
    wait "$svc_pid" 2>/dev/null
  fi
  stop_socats
  [ "$status" -eq 0 ] || show_logs
  [ -z "$mounted" ] || umount "$work/ovl" 2>/dev/null
  if grep -qF " $CONFLUENT_ROOT/" /proc/self/mountinfo; then echo "mounts left under $CONFLUENT_ROOT, not removed" >&2
  else rm -rf "$CONFLUENT_ROOT"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# --- 1. The image, as an overlay with a marker service: it runs after confluent-onboot and
# writes what the booted system sees to the serial port.
mount -t overlay -o "lowerdir=$tree,upperdir=$work/upper,workdir=$work/image" overlay "$work/ovl" ||
  fail "cannot mount an overlay of $tree"
mounted=1
mkdir -p "$work/ovl/usr/local/sbin" "$work/ovl/etc/systemd/system/multi-user.target.wants"
cat >"$work/ovl/usr/local/sbin/diskless-marker" <<'EOF'
#!/bin/sh
key=$(stat -c %a /etc/confluent/confluent.apikey 2>/dev/null)
hash=$(awk -F: '$1 == "root" { print $2 }' /etc/shadow)
method=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^confluent_imagemethod=//p')
nbd=$(cat /sys/block/nbd0/size 2>/dev/null || echo 0)
printf '\n' >/dev/ttyS0
echo "DISKLESS-MARKER host=$(hostname) root=$(findmnt -no FSTYPE /) lower=$(findmnt -no SOURCE /run/confluent/root.ro) apikey=$key hash=$hash onboot=$(systemctl is-active confluent-onboot.service) method=${method:-untethered} nbd=$nbd" >/dev/ttyS0
EOF
chmod 755 "$work/ovl/usr/local/sbin/diskless-marker"
cat >"$work/ovl/etc/systemd/system/diskless-marker.service" <<'EOF'
[Unit]
Description=imgutil_diskless_qemu test marker
After=confluent-onboot.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/diskless-marker

[Install]
WantedBy=multi-user.target
EOF
ln -s ../diskless-marker.service "$work/ovl/etc/systemd/system/multi-user.target.wants/diskless-marker.service"

# --- 2. Site content, a service certificate for the address the VM reaches us at (as a
# site's certificate names its deployment servers), and the packed, encrypted profile.
must osdeploy initialize -t
tls=$CONFLUENT_ROOT/etc/confluent/tls
openssl req -new -key "$tls/srvkey.pem" -subj "/CN=$deployserver" -addext "subjectAltName=IP:$deployserver" \
  -out "$work/srv.csr" 2>/dev/null || fail "openssl req failed"
openssl x509 -req -in "$work/srv.csr" -CA "$tls/cacert.pem" -CAkey "$tls/cakey.pem" -CAcreateserial \
  -copy_extensions copy -days 2 -out "$work/srvcert.pem" 2>/dev/null || fail "openssl x509 failed"
start=$SECONDS
run imgutil pack --compress zstd --compress-level 3 "$work/ovl" "$profile"
expect_rc 0
echo "imgutil pack (zstd level 3, encrypted): $((SECONDS - start)) s, $(stat -c %s "$lib/public/os/$profile/rootimg.sfs") bytes" >&2
pdir=$lib/public/os/$profile
[ "$(stat -c %a "$lib/private/os/$profile/pending/rootimg.key")" = 600 ] || fail "rootimg.key is not 0600"
head -c 16 "$pdir/rootimg.sfs" | od -An -tx1 | tr -d ' \n' | grep -qx aad50f7e5dfb4b7ca12af40b6d94f7fc ||
  fail "rootimg.sfs is not confluent_crypted"
grep -q '^kernelargs: boot=confluent ' "$pdir/profile.yaml" || fail "profile.yaml: $(cat "$pdir/profile.yaml")"
[ -x "$pdir/scripts/onboot.sh" ] || fail "the profile lacks scripts/onboot.sh"
# The site's serial console and the server's address, as a site sets them.
sed -i "/^kernelargs:/s/boot=confluent /boot=confluent confluent=$deployserver console=ttyS0,115200n8 /" "$pdir/profile.yaml"
must osdeploy updateboot "$profile"
grep -q "confluent=$deployserver" "$pdir/boot.ipxe" || fail "boot.ipxe: $(cat "$pdir/boot.ipxe")"

# --- 3. Two nodes that boot at the same time: vm1 the profile as packed (untethered), vm2
# a copy of it whose kernel arguments ask for a tethered boot (the same image and key).
tprofile=$profile-tethered
tdir=$lib/public/os/$tprofile
mkdir "$tdir" && cp -a "$pdir/." "$tdir/" && cp -a "$lib/private/os/$profile" "$lib/private/os/$tprofile" ||
  fail "cannot copy the profile"
sed -i '/^kernelargs:/s/boot=confluent /boot=confluent confluent_imagemethod=tethered /' "$tdir/profile.yaml"
must osdeploy updateboot "$tprofile"
# MACs, a root password, the pending profiles, armed for one API key each. iPXE has no CA
# to check a certificate with: plain HTTP for the firmware only.
declare -A macs=([vm1]=52:54:00:12:34:57 [vm2]=52:54:00:12:34:58)
must nodedefine vm1,vm2
must nodeattrib vm1 net.hwaddr="${macs[vm1]}"
must nodeattrib vm2 net.hwaddr="${macs[vm2]}"
must nodeattrib vm1,vm2 deployment.useinsecureprotocols=firmware crypted.rootpassword=diskless-secret
must nodedeploy -p vm1 "$profile"
must nodedeploy -p vm2 "$tprofile"

# --- 4. The service on two free ports, with the certificate for 10.0.2.100.
timeout 1150 confluent-deployd --http 127.0.0.1:0 --https 127.0.0.1:0 --cert "$work/srvcert.pem" \
  --key "$tls/srvkey.pem" 2>"$svclog" &
svc_pid=$!
http_port='' https_port=''
for _ in $(seq 1 100); do
  http_port=$(sed -n 's|^confluent-deployd: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$svclog" | head -n 1)
  https_port=$(sed -n 's|^confluent-deployd: listening on https://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$svclog" | head -n 1)
  [ -n "$http_port" ] && [ -n "$https_port" ] && break
  kill -0 "$svc_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$http_port" ] && [ -n "$https_port" ] || fail "confluent-deployd did not report its ports within 10 s"

# --- 5. The VMs: 2 GiB each (an untethered image is held in RAM), no disk, each on its own
# core. start_vm NODE; the serial console of NODE is $work/NODE.serial.
declare -A vm_pids=()
vm_start=$SECONDS
start_vm() {
  local mac=${macs[$1]}
  : >"$work/$1.serial"
  timeout 420 qemu-system-x86_64 -accel tcg -m 2048 -display none -vga none -machine graphics=off \
    -serial "file:$work/$1.serial" -monitor none -no-reboot \
    -netdev "user,id=n0,restrict=on,guestfwd=tcp:$deployserver:80-cmd:socat - TCP:127.0.0.1:$http_port,guestfwd=tcp:$deployserver:443-cmd:socat - TCP:127.0.0.1:$https_port,bootfile=http://$deployserver/confluent-api/boot/by-mac/${mac//:/-}/ipxe" \
    -device "virtio-net-pci,netdev=n0,mac=$mac" -boot n </dev/null >"$work/$1.qemu.log" 2>&1 &
  vm_pids[$1]=$!
}
start_vm vm1
start_vm vm2

# logline METHOD PATH STATUS ("*": any) [NODE]: the number of the first such access log line
# (of NODE's or anonymous requests when NODE is given).
logline() {
  awk -v m="\"$1" -v p="$2\"" -v s="$3" -v n="${4:-}" \
    '$3 == m && $4 == p && (s == "*" || $5 == s) && (n == "" || $2 == n || $2 == "-") { print NR; exit }' "$svclog"
}
requested() { [ -n "$(logline "$@")" ]; }
console() { tr -d '\r' 2>/dev/null <"$work/$1.serial"; }
# The marker may follow a login prompt on the same line.
marker() { console "$1" | grep -ao 'DISKLESS-MARKER .*' | head -n 1; }
has_marker() { [ -n "$(marker "$1")" ]; }
wait_until() {  # SECONDS WHAT COMMAND...: within SECONDS of the VMs' start, one try a second
  local limit=$1 what=$2 i vm
  shift 2
  for ((i = 0; i <= limit; i++)); do
    "$@" && return 0
    ((SECONDS - vm_start < limit)) || fail "$what: not within ${limit}s of the VMs' start"
    kill -0 "$svc_pid" 2>/dev/null || fail "$what: confluent-deployd exited first"
    for vm in vm1 vm2; do
      console "$vm" | grep -aq 'Kernel panic\|confluent: .*(panic\|failed\|cannot\|refused' &&
        fail "$what: the boot of $vm failed: $(console "$vm" | grep -a 'confluent: \|Kernel panic' | tail -n 3)"
    done
    sleep 1
  done
  fail "$what: not within $limit tries"
}
public=/confluent-public/os/$profile
tpublic=/confluent-public/os/$tprofile
wait_until 90 "vm1: iPXE fetches the kernel" requested GET "$public/boot/kernel" '*'
wait_until 300 "vm1: the initramfs downloads rootimg.sfs" requested GET "$public/rootimg.sfs" '*'
image_at=$((SECONDS - vm_start))
wait_until 400 "vm1: the booted image prints its marker" has_marker vm1
marker_at=$((SECONDS - vm_start))
wait_until 410 "vm1: onboot.sh reports the node booted" requested POST /confluent-api/self/updatestatus '*' vm1
booted_at=$((SECONDS - vm_start))
wait_until 410 "vm2 (tethered): the booted image prints its marker" has_marker vm2
tethered_at=$((SECONDS - vm_start))
wait_until 415 "vm2: onboot.sh reports the node booted" requested POST /confluent-api/self/updatestatus '*' vm2
stop_vms
echo "vm1 (untethered): rootimg.sfs sent at ${image_at}s, marker at ${marker_at}s, booted status at ${booted_at}s;" \
  "vm2 (tethered): marker at ${tethered_at}s" >&2

# The markers, written by the booted systems: the host name is the node's, / is the overlay
# over the dm-crypt device, the API key file is private, the root hash is the node's; vm2
# reads its image through /dev/nbd0, as large as the image.
size=$(stat -c %s "$pdir/rootimg.sfs")
for vm in vm1 vm2; do
  m=$(marker "$vm")
  wants=("host=$vm" "root=overlay" "lower=/dev/mapper/confluent-image" "apikey=600" "onboot=active")
  if [ "$vm" = vm1 ]; then wants+=("method=untethered" "nbd=0"); else wants+=("method=tethered" "nbd=$((size / 512))"); fi
  for want in "${wants[@]}"; do
    [[ " $m " == *" $want "* ]] || fail "$vm: the marker lacks $want: $m"
  done
  hash=$(sed -n 's/.* hash=\([^ ]*\) .*/\1/p' <<<"$m")
  salt=$(cut -d'$' -f3 <<<"$hash")
  [ -n "$salt" ] && [ "$(openssl passwd -6 -salt "$salt" diskless-secret)" = "$hash" ] ||
    fail "$vm: the booted system's root hash is not the node's crypted.rootpassword: $hash"
done

# vm1's requests, in order, over the expected protocols: the firmware over HTTP, the
# initramfs and the booted system over HTTPS (the access log does not say which; the node
# API refuses plain HTTP for these nodes, so any success there was HTTPS).
chain=("GET /confluent-api/boot/by-mac/${macs[vm1]//:/-}/ipxe 302" "GET $public/boot.ipxe 200"
  "GET $public/boot/kernel 200" "GET /confluent-api/self/whoami 200" "POST /confluent-api/self/registerapikey 200"
  "GET /confluent-api/self/deploycfg2 200" "GET $public/rootimg.sfs 200"
  "GET /confluent-api/self/profileprivate/pending/rootimg.key 200"
  "GET $public/scripts/onboot.sh 200" "GET /confluent-api/self/scriptlist/onboot 200"
  "POST /confluent-api/self/updatestatus 200")
prev=0
for step in "${chain[@]}"; do
  read -r method path status <<<"$step"
  n=$(logline "$method" "$path" "$status" vm1)
  [ -n "$n" ] || fail "vm1: not in the access log: $step"
  [ "$n" -gt "$prev" ] || fail "vm1: out of order in the access log: $step (line $n, after line $prev)"
  prev=$n
done
sent=$(awk -v p="$public/rootimg.sfs\"" '$4 == p && $5 == 200 { print $6; exit }' "$svclog")
[ "${sent:-0}" -eq "$size" ] || fail "vm1: rootimg.sfs: $sent bytes sent, the file has $size"

# vm2, tethered: nbdkit asks the size (HEAD), then reads by ranges only (206), and less than
# the whole image.
awk -v p="$tpublic/rootimg.sfs\"" '$3 == "\"HEAD" && $4 == p && $5 == 200' "$svclog" | grep -q . ||
  fail "vm2: no HEAD of rootimg.sfs"
awk -v p="$tpublic/rootimg.sfs\"" '$3 == "\"GET" && $4 == p && $5 != 206' "$svclog" | grep -q . &&
  fail "vm2: rootimg.sfs was not only read by ranges: $(awk -v p="$tpublic/rootimg.sfs\"" '$3 == "\"GET" && $4 == p && $5 != 206' "$svclog" | head -3)"
read -r ranges read_bytes < <(awk -v p="$tpublic/rootimg.sfs\"" '$3 == "\"GET" && $4 == p { n++; b += $6 } END { print n + 0, b + 0 }' "$svclog")
[ "$ranges" -gt 0 ] || fail "vm2: no range requests for rootimg.sfs"
[ "$read_bytes" -lt "$size" ] || fail "vm2: read $read_bytes bytes of a $size-byte image"
echo "vm2 (tethered): $ranges range requests, $read_bytes of $size bytes read" >&2

# updatestatus booted: each profile is its node's, still pending (the node keeps booting it).
run nodeattrib vm1,vm2 deployment.profile deployment.pendingprofile
for line in "vm1: deployment.profile: $profile" "vm1: deployment.pendingprofile: $profile" \
  "vm2: deployment.profile: $tprofile" "vm2: deployment.pendingprofile: $tprofile"; do
  expect_out_has "$line"
done

# The image as packed, decrypted in user space and unsquashed, is the tree (device nodes
# aside, which diff does not compare).
run imgutil unpack "$profile" "$work/unpacked"
expect_rc 0
diff -r --no-dereference "$work/ovl" "$work/unpacked" >"$work/diff" 2>&1
if grep -v '^File .* is a \(character\|block\) special file while' "$work/diff" | grep -q .; then
  fail "the unpacked image differs from the tree: $(head -5 "$work/diff")"
fi
