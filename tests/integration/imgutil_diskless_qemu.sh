# End to end, diskless: QEMU VMs network-boot the Debian 12 image that `imgutil build` made
# (the imgutil_debian_image fixture: IMGUTIL_TEST_IMAGE), packed encrypted by `imgutil pack`,
# through confluent-deployd, and print a marker on their serial consoles from inside the
# booted image. Both initramfs systems confluent's boot=confluent runs under are booted:
# - vm1 through dracut, as EL images boot: the image (which has Debian's dracut-core and
#   dracut-network, the same upstream dracut) gets confluent's module as imgutil build puts
#   it into EL images (el9-diskless/dracut as modules.d/97confluent, its dracut.conf.d file),
#   and dracut makes the initramfs, named as on EL (/boot/initramfs-<version>.img), which
#   pack takes. dracut's shell init and DHCP, then the module's netroot handler runs the
#   steps of the shared scripts/confluent: self/whoami by MAC, registerapikey, deploycfg2, the
#   whole rootimg.sfs into RAM over HTTPS checked against the site CA, the key from
#   self/profileprivate, dm-crypt in the VM's kernel, squashfs under a RAM overlay at
#   /sysroot; dracut's switch_root, then systemd, the profile's onboot.sh, updatestatus booted;
# - vm2, booting at the same time, through the image's own initramfs-tools initramfs (with
#   the boot=confluent script imgutil build put in), tethered: the image read on demand with
#   HTTP range requests (nbdkit, nbd-client).
#
# The image is not changed: the test packs an overlay of it (with a marker unit) mounted here.
# QEMU user networking with restrict=on: the guest reaches only 10.0.2.100:80 and :443, piped
# by socat to the service's plain and TLS ports on loopback. TCG (no usable KVM here).
profile=debian12-diskless
work=$CONFLUENT_ROOT/diskless
lib=$CONFLUENT_ROOT/var/lib/confluent
tree=${IMGUTIL_TEST_IMAGE:-}
[ -n "$tree" ] || fail "IMGUTIL_TEST_IMAGE is not set (the imgutil_debian_image fixture provides it)"
[ -x "$tree/usr/bin/systemctl" ] && ls "$tree"/boot/vmlinuz-* >/dev/null 2>&1 ||
  fail "IMGUTIL_TEST_IMAGE=$tree is not a built Debian image with a kernel (did imgutil_debian_image pass?)"
[ -x "$tree/usr/bin/dracut" ] && [ -d "$tree/usr/lib/dracut/modules.d/40network" ] ||
  fail "IMGUTIL_TEST_IMAGE=$tree lacks dracut-core and dracut-network (imgutil_debian_image installs them)"
for tool in qemu-system-x86_64 socat curl openssl mksquashfs; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps)"
done
[ "$(id -u)" -eq 0 ] || fail "mounting the overlay needs root"
module=$BIN_DIR/../share/confluent-cpp/osdeploy/el9-diskless/dracut
[ -f "$module/module-setup.sh" ] || fail "$module/module-setup.sh is missing (the build installs the templates)"
mkdir -p "$work/upper" "$work/ovl" "$work/image"
vm_dir=$work
# shellcheck source=tests/integration/imgutil/diskless_vm.sh
source "$SOURCE_DIR/tests/integration/imgutil/diskless_vm.sh"
mounted=''
cleanup() {
  local status=$?
  vm_cleanup "$status"
  [ -z "$mounted" ] || umount "$work/ovl" 2>/dev/null
  if grep -qF " $CONFLUENT_ROOT/" /proc/self/mountinfo; then echo "mounts left under $CONFLUENT_ROOT, not removed" >&2
  else rm -rf "$CONFLUENT_ROOT"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# --- 1. The image, as an overlay with a marker service (it runs after confluent-onboot and
# writes what the booted system sees to the serial port), the dracut module and
# configuration imgutil build adds to EL images (the text build_rpm.cpp writes), and
# dracut's initramfs for the kernel.
mount -t overlay -o "lowerdir=$tree,upperdir=$work/upper,workdir=$work/image" overlay "$work/ovl" ||
  fail "cannot mount an overlay of $tree"
mounted=1
vm_add_marker "$work/ovl"
mkdir -p "$work/ovl/usr/lib/dracut/modules.d/97confluent" "$work/ovl/etc/dracut.conf.d"
cp -L "$module"/* "$work/ovl/usr/lib/dracut/modules.d/97confluent/" &&
  chmod 755 "$work/ovl/usr/lib/dracut/modules.d/97confluent"/* || fail "cannot copy the dracut module"
printf 'compress=xz\nhostonly=no\ndracutmodules+=" confluent base terminfo "\nomit_dracutmodules+=" ifcfg "\n' \
  >"$work/ovl/etc/dracut.conf.d/confluent.conf"
kernel=$(ls "$work/ovl"/boot/vmlinuz-* | head -n 1)
kver=${kernel##*/vmlinuz-}
initramfs=/boot/initramfs-$kver.img
start=$SECONDS
# zstd rather than the configured xz, which the test image lacks (and which is slower).
run imgutil exec "$work/ovl" dracut -f --zstd "$initramfs" "$kver"
expect_rc 0
echo "dracut: $((SECONDS - start)) s, $(stat -c %s "$work/ovl$initramfs") bytes" >&2
# Its modules: ours with dracut's network, and dracut's shell init (no systemd).
run imgutil exec "$work/ovl" lsinitrd -m "$initramfs"
expect_rc 0
for m in confluent network network-legacy base; do
  grep -qx "$m" <<<"$out" || fail "the initramfs lacks dracut module $m: $out"
done
grep -qx systemd <<<"$out" && fail "the initramfs has systemd: $out"
run imgutil exec "$work/ovl" lsinitrd "$initramfs"
expect_rc 0
for f in usr/sbin/confluentroot scripts/confluent scripts/confluent-functions usr/lib/dracut/hooks/cmdline/90-parse-confluent.sh \
  usr/bin/curl usr/sbin/losetup usr/sbin/dmsetup usr/bin/openssl; do
  grep -q " $f\( \|$\)" <<<"$out" || fail "the initramfs lacks $f"
done

# --- 2. Site content and the packed, encrypted profile.
must osdeploy initialize -t
start=$SECONDS
run imgutil pack --compress zstd --compress-level 3 "$work/ovl" "$profile"
expect_rc 0
echo "imgutil pack (zstd level 3, encrypted): $((SECONDS - start)) s, $(stat -c %s "$lib/public/os/$profile/rootimg.sfs") bytes" >&2
pdir=$lib/public/os/$profile
cmp -s "$work/ovl$initramfs" "$pdir/boot/initramfs/distribution" ||
  fail "pack did not take $initramfs (the EL name) as the profile's initramfs"
[ "$(stat -c %a "$lib/private/os/$profile/pending/rootimg.key")" = 600 ] || fail "rootimg.key is not 0600"
head -c 16 "$pdir/rootimg.sfs" | od -An -tx1 | tr -d ' \n' | grep -qx aad50f7e5dfb4b7ca12af40b6d94f7fc ||
  fail "rootimg.sfs is not confluent_crypted"
grep -q '^kernelargs: boot=confluent ' "$pdir/profile.yaml" || fail "profile.yaml: $(cat "$pdir/profile.yaml")"
[ -x "$pdir/scripts/onboot.sh" ] || fail "the profile lacks scripts/onboot.sh"
vm_profile_args "$profile"
grep -q "confluent=$deployserver" "$pdir/boot.ipxe" || fail "boot.ipxe: $(cat "$pdir/boot.ipxe")"

# --- 3. Two nodes that boot at the same time: vm1 the profile as packed (dracut,
# untethered), vm2 a copy of it with the image's initramfs-tools initramfs, whose kernel
# arguments ask for a tethered boot (the same image and key).
tprofile=$profile-tethered
tdir=$lib/public/os/$tprofile
mkdir "$tdir" && cp -a "$pdir/." "$tdir/" && cp -a "$lib/private/os/$profile" "$lib/private/os/$tprofile" ||
  fail "cannot copy the profile"
rm -f "$tdir/boot/initramfs/distribution" &&
  cp "$work/ovl/boot/initrd.img-$kver" "$tdir/boot/initramfs/distribution" || fail "cannot give vm2 initramfs-tools"
sed -i '/^kernelargs:/s/boot=confluent /boot=confluent confluent_imagemethod=tethered /' "$tdir/profile.yaml"
must osdeploy updateboot "$tprofile"
# MACs, a root password, the pending profiles, armed for one API key each. iPXE has no CA
# to check a certificate with: plain HTTP for the firmware only.
must nodedefine vm1,vm2
must nodeattrib vm1 net.hwaddr=52:54:00:12:34:57
must nodeattrib vm2 net.hwaddr=52:54:00:12:34:58
must nodeattrib vm1,vm2 deployment.useinsecureprotocols=firmware crypted.rootpassword=diskless-secret
must nodedeploy -p vm1 "$profile"
must nodedeploy -p vm2 "$tprofile"

# --- 4. The service, and the VMs, each on its own core.
vm_service_start
vm_start vm1 52:54:00:12:34:57
vm_start vm2 52:54:00:12:34:58
public=/confluent-public/os/$profile
tpublic=/confluent-public/os/$tprofile
wait_until 90 "vm1: iPXE fetches the kernel" requested GET "$public/boot/kernel" '*'
wait_until 300 "vm1: dracut's initramfs downloads rootimg.sfs" requested GET "$public/rootimg.sfs" '*'
image_at=$((SECONDS - vm_started))
# dracut's boot takes longer here: after its switch_root, the first reads of the image stall
# in squashfs readahead under TCG (soft lockups of up to 24 s on the console).
wait_until 540 "vm1: the booted image prints its marker" has_marker vm1
marker_at=$((SECONDS - vm_started))
wait_until 550 "vm1: onboot.sh reports the node booted" requested POST /confluent-api/self/updatestatus '*' vm1
booted_at=$((SECONDS - vm_started))
wait_until 410 "vm2 (tethered): the booted image prints its marker" has_marker vm2
tethered_at=$((SECONDS - vm_started))
wait_until 415 "vm2: onboot.sh reports the node booted" requested POST /confluent-api/self/updatestatus '*' vm2
vm_stop_all
echo "vm1 (dracut, untethered): rootimg.sfs sent at ${image_at}s, marker at ${marker_at}s, booted status at ${booted_at}s;" \
  "vm2 (initramfs-tools, tethered): marker at ${tethered_at}s" >&2

# The markers, written by the booted systems: the host name is the node's, / is the overlay
# over the dm-crypt device, the API key file is private, the root hash is the node's; vm2
# reads its image through /dev/nbd0, as large as the image.
size=$(stat -c %s "$pdir/rootimg.sfs")
expect_marker vm1 "root=overlay" "lower=/dev/mapper/confluent-image" "boot=none" "method=untethered" "nbd=0"
expect_marker vm2 "root=overlay" "lower=/dev/mapper/confluent-image" "boot=none" "method=tethered" "nbd=$((size / 512))"

# vm1's requests, in order, over the expected protocols: the firmware over HTTP, the
# initramfs and the booted system over HTTPS (the access log does not say which; the node
# API refuses plain HTTP for these nodes, so any success there was HTTPS).
chain=("GET /confluent-api/boot/by-mac/52-54-00-12-34-57/ipxe 302" "GET $public/boot.ipxe 200"
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
