# imgutil capture against a real sshd serving a throwaway Debian tree on loopback. The "node"
# is a copy of the Debian 12 image of IMGUTIL_TEST_IMAGE (built by imgutil build; a CTest
# fixture provides it, and it is never written to) on a loop-mounted ext4 root with a separate
# ext2 /boot, running its own sshd under imgutil exec on 127.0.0.x (exec shares the host's
# network). Checks the profile captured from it (both file systems in an encrypted multisquash
# image, secrets masked, the kernel and an initramfs with the confluent boot hook, UEFI
# loaders, profile.yaml, updateboot), that the node is left as it was, and failures that leave
# nothing behind: an existing profile, an unreachable node, an unsupported OS, missing
# prerequisites, an interrupted capture. Last, a QEMU VM network-boots the captured profile
# diskless through confluent-deployd and prints a marker from inside it (/ and /boot mounted
# from the two file systems of the image). Runs as root (loop mounts, namespaces).
image=${IMGUTIL_TEST_IMAGE:-}
[ -n "$image" ] || fail "IMGUTIL_TEST_IMAGE is not set: it names a Debian 12 image tree built by 'imgutil build'"
[ -x "$image/usr/sbin/sshd" ] && [ -e "$image/etc/os-release" ] && [ -d "$image/boot" ] ||
  fail "IMGUTIL_TEST_IMAGE=$image is not a Debian image tree with openssh-server and a kernel"
[ "$(id -u)" -eq 0 ] || fail "imgutil capture's test needs root (loop mounts, imgutil exec)"
for tool in mkfs.ext4 mkfs.ext2 ssh ssh-keygen unsquashfs diff; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (e2fsprogs, openssh-client, squashfs-tools, diffutils)"
done
templates=${CONFLUENT_OSDEPLOY_TEMPLATES:-$BIN_DIR/../share/confluent-cpp/osdeploy}
[ -d "$templates/debian-diskless/initramfs-tools" ] ||
  fail "no debian-diskless/initramfs-tools in $templates: capture has no boot hook for Debian"

dir=$CONFLUENT_ROOT/cap
node=$dir/node
lib=$CONFLUENT_ROOT/var/lib/confluent
mkdir -p "$dir/bin" "$node"
sshd_job=""
stop_sshd() {
  [ -n "$sshd_job" ] && kill "$sshd_job" 2>/dev/null && wait "$sshd_job" 2>/dev/null
  sshd_job=""
}
vm_dir=$dir
# shellcheck source=tests/integration/imgutil/diskless_vm.sh
source "$SOURCE_DIR/tests/integration/imgutil/diskless_vm.sh"
# Never rm -rf through a mount: if one is left under the test root, keep the tree.
trap 'vm_cleanup $?; stop_sshd; kill $(jobs -p) 2>/dev/null; wait 2>/dev/null
  umount "$node/boot" 2>/dev/null; umount "$node" 2>/dev/null
  if grep -qF " $CONFLUENT_ROOT/" /proc/self/mountinfo; then echo "mounts left under $CONFLUENT_ROOT, not removed" >&2
  else rm -rf "$CONFLUENT_ROOT"; fi' EXIT
one_line_error() { [ -n "$err" ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "expected a one-line error"; }
nothing_left() {
  [ ! -e "$lib/public/os/$1" ] && [ ! -e "$lib/private/os/$1" ] || fail "a failed capture left profile $1"
  [ -z "$(find "$lib" -name '.*.new')" ] || fail "a failed capture left its work directories"
}

# --- the node: the image on ext4, its /boot on ext2, secrets in place -----------------------
size=$(( $(du -sm "$image" | cut -f1) * 3 / 2 + 256 ))
mkfs.ext4 -q -d "$image" -L caproot "$dir/root.img" "${size}M" >/dev/null || fail "mkfs.ext4 -d $image"
mkfs.ext2 -q -d "$image/boot" -L capboot "$dir/boot.img" 256M >/dev/null || fail "mkfs.ext2 -d $image/boot"
mount -o loop "$dir/root.img" "$node" || fail "cannot loop-mount the node's root"
rm -rf "${node:?}"/boot/*
mount -o loop "$dir/boot.img" "$node/boot" || fail "cannot loop-mount the node's /boot"
kver=$(basename "$(find "$node/boot" -maxdepth 1 -name 'vmlinuz-*' | sort -V | tail -n 1)")
kver=${kver#vmlinuz-}
[ -n "$kver" ] || fail "the image has no kernel"
mkdir -p "$node/boot/efi/EFI/BOOT" "$node/boot/efi/EFI/debian" "$node/etc/confluent" "$node/root/.ssh"
echo "fake shim" >"$node/boot/efi/EFI/BOOT/BOOTX64.EFI"
echo "fake grub" >"$node/boot/efi/EFI/debian/grubx64.efi"
vm_add_marker "$node"  # for the boot of the captured image at the end
echo "root marker $RANDOM" >"$node/root/capture-marker"
echo "boot marker $RANDOM" >"$node/boot/capture-marker"
sed -i 's|^root:[^:]*:|root:$6$capture$SECRETHASHcapturetest:|' "$node/etc/shadow"
echo "SECRET-APIKEY-capturetest" >"$node/etc/confluent/confluent.apikey"
chmod 600 "$node/etc/confluent/confluent.apikey"
printf 'LABEL=caproot / ext4 defaults 0 1\nLABEL=capboot /boot ext2 defaults 0 2\n' >>"$node/etc/fstab"
rm -f "$node"/etc/ssh/ssh_host_*
ssh-keygen -q -t ed25519 -N '' -C '' -f "$node/etc/ssh/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -C '' -f "$node/root/.ssh/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$dir/id"
cp "$dir/id.pub" "$node/root/.ssh/authorized_keys"
secrets=("SECRETHASHcapturetest" "SECRET-APIKEY-capturetest" "$(sed -n 2p "$node/etc/ssh/ssh_host_ed25519_key")"
  "$(sed -n 2p "$node/root/.ssh/id_ed25519")")
hooks_before=$(find "$node/etc/initramfs-tools" | sort)

addr=127.0.0.$((10 + RANDOM % 240))
port=$((30000 + RANDOM % 20000))
cat >"$node/etc/ssh/sshd_capture_config" <<CFG
Port $port
ListenAddress $addr
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile none
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
LogLevel ERROR
CFG
cat >"$dir/ssh_config" <<CFG
Host capnode
  HostName $addr
  Port $port
  User root
Host capdown
  HostName $addr
  Port $((port + 1))
Host *
  IdentityFile $dir/id
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  StrictHostKeyChecking yes
CFG
echo "[$addr]:$port $(cat "$node/etc/ssh/ssh_host_ed25519_key.pub")" >"$dir/known_hosts"
# ssh reads ~/.ssh/config from the passwd entry, not $HOME; a wrapper points it at ours.
printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$dir/ssh_config" >"$dir/bin/ssh"
chmod +x "$dir/bin/ssh"
export PATH="$dir/bin:$PATH"

start_sshd() {
  imgutil exec "$node" /bin/sh -c 'mkdir -p /run/sshd && exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_capture_config' \
    2>>"$dir/sshd.log" &
  sshd_job=$!
  for _ in $(seq 1 100); do
    ssh -o BatchMode=yes capnode true 2>/dev/null && return
    kill -0 "$sshd_job" 2>/dev/null || fail "the node's sshd did not start: $(cat "$dir/sshd.log")"
    sleep 0.1
  done
  fail "the node's sshd does not answer: $(cat "$dir/sshd.log")"
}
start_sshd
node_state() { ssh -o BatchMode=yes capnode 'cat /proc/self/mountinfo; ls -A /run; ls /run/imgutil 2>&1'; }
state_before=$(node_state)
must osdeploy initialize -t

# --- refused before or at the node, nothing left ----------------------------------------------
mkdir -p "$lib/public/os/taken"
run imgutil capture capnode taken
expect_rc 4
expect_err "imgutil: error: Profile already exists, select a different name or delete existing $lib/public/os/taken"
rmdir "$lib/public/os/taken"
run imgutil capture capnode some/where
expect_rc 4
expect_err "imgutil: error: Full path not supported, supply only the profile name"
run imgutil capture --compress lzma capnode fresh
expect_rc 2

start=$SECONDS
run imgutil capture capdown down
expect_rc 1
expect_err_has "imgutil: error: cannot reach node 'capdown' over ssh: "
expect_err_has "Connection refused"
one_line_error
[ $((SECONDS - start)) -lt 20 ] || fail "an unreachable node took $((SECONDS - start)) s"
nothing_left down

mv "$node/etc/os-release" "$dir/os-release.link"
printf 'NAME="Plan 9"\nID=plan9\nVERSION_ID=4\nPRETTY_NAME="Plan 9 from Bell Labs 4"\n' >"$node/etc/os-release"
run imgutil capture capnode plan9
expect_rc 4
expect_err "imgutil: error: node 'capnode' runs Plan 9 from Bell Labs 4, which capture does not support: it is not an OS confluent deploys"
rm "$node/etc/os-release"
mv "$dir/os-release.link" "$node/etc/os-release"
nothing_left plan9
[ "$(node_state)" = "$state_before" ] || fail "a refused capture changed the node: $(node_state)"

mv "$node/usr/bin/mksquashfs" "$dir/mksquashfs.away"
mv "$node/bin/busybox" "$dir/busybox.away"
run imgutil capture capnode lacking
expect_rc 1
expect_err "imgutil: error: node 'capnode' lacks what capture needs: apt install squashfs-tools busybox"
mv "$dir/mksquashfs.away" "$node/usr/bin/mksquashfs"
mv "$dir/busybox.away" "$node/bin/busybox"
nothing_left lacking

# --- interrupted while the node squashes: the node's work is stopped and removed ----------------
imgutil capture capnode interrupted >"$dir/int.out" 2>"$dir/int.err" &
job=$!
squashing() { ssh -o BatchMode=yes capnode 'grep -lx mksquashfs /proc/[0-9]*/comm' 2>/dev/null; }
for _ in $(seq 1 300); do
  squashing >/dev/null && break
  kill -0 "$job" 2>/dev/null || fail "the capture to interrupt ended early: $(cat "$dir/int.err")"
  sleep 0.1
done
squashing >/dev/null || fail "mksquashfs never ran on the node"
kill -INT "$job"
wait "$job"
rc=$? err=$(cat "$dir/int.err")
expect_rc 130
expect_err_has "capture of 'capnode' interrupted by signal 2"
nothing_left interrupted
! squashing >/dev/null || fail "the interrupted capture left mksquashfs running on the node"
[ "$(node_state)" = "$state_before" ] || fail "the interrupted capture left traces on the node: $(node_state)"

# --- the capture ------------------------------------------------------------------------------
start=$SECONDS
run imgutil capture --compress lz4 capnode capimg
expect_rc 0
expect_out "Diskless profile created: capimg"
echo "capture took $((SECONDS - start)) s" >&2
[ "$(node_state)" = "$state_before" ] || fail "the capture left traces on the node: $(node_state)"
[ "$(find "$node/etc/initramfs-tools" | sort)" = "$hooks_before" ] || fail "the capture changed the node's initramfs-tools"
p=$lib/public/os/capimg
key=$lib/private/os/capimg/pending/rootimg.key
head -c 37 "$p/rootimg.sfs" | cmp -s - <(printf '\xaa\xd5\x0f\x7e\x5d\xfb\x4b\x7c\xa1\x2a\xf4\x0b\x6d\x94\xf7\xfc\x14CONFLUENT_CRYPTIMAGE') ||
  fail "rootimg.sfs lacks the crypt header"
[ "$(stat -c %a "$key")" = 600 ] || fail "key file mode $(stat -c %a "$key")"
[ "$(sed -n 1p "$key")" = aes-xts-plain64 ] && [[ "$(sed -n 2p "$key")" =~ ^[0-9a-f]{64}$ ]] || fail "key file: $(cat "$key")"
cmp -s "$p/boot/kernel" "$node/boot/vmlinuz-$kver" || fail "boot/kernel is not the node's vmlinuz-$kver"
[ "$(cat "$p/boot/efi/boot/BOOTX64.EFI")" = "fake shim" ] || fail "the node's shim was not gathered"
[ "$(cat "$p/boot/efi/boot/grubx64.efi")" = "fake grub" ] || fail "the node's GRUB was not gathered"
[ "$(readlink "$p/boot/initramfs/site.cpio")" = ../../../../site/initramfs.cpio ] || fail "site.cpio link"
grep -qx 'label: Debian GNU/Linux 12 (capimg)' "$p/profile.yaml" || fail "profile.yaml label: $(cat "$p/profile.yaml")"
grep -qx 'kernelargs: boot=confluent quiet installtodisk # remove installtodisk to boot stateless' "$p/profile.yaml" || fail "profile.yaml kernelargs: $(cat "$p/profile.yaml")"
grep -qx 'CAPTUREDFROM=capnode' "$p/build-info" || fail "build-info: $(cat "$p/build-info")"
grep -q '^imgfetch boot/kernel ' "$p/boot.ipxe" && [ -s "$p/boot.img" ] || fail "updateboot did not run"
[ "$(stat -c %a "$p/rootimg.sfs")" = 644 ] || fail "rootimg.sfs is not readable by the web server"

# The initramfs is the node's own, made with the boot hook of this installation.
run imgutil exec -v "$p/boot/initramfs/distribution:/run/capture.img" "$node" lsinitramfs /run/capture.img
expect_rc 0
expect_out_has "scripts/confluent"
grep -q "lib/modules/$kver/" <<<"$out" || fail "the initramfs lacks the modules of $kver"

# Both file systems, as they are on the node but for the masked secrets (and the logs of the
# test's own logins since).
run imgutil unpack capimg "$dir/unpacked"
expect_rc 0
[ "$(cat "$dir/unpacked/boot/capture-marker")" = "$(cat "$node/boot/capture-marker")" ] || fail "/boot was not captured"
[ "$(cat "$dir/unpacked/root/capture-marker")" = "$(cat "$node/root/capture-marker")" ] || fail "/ was not captured"
differences=$(diff -rq --no-dereference "$node" "$dir/unpacked" | grep -vF -e "$node/var/log" -e "$dir/unpacked/var/log" |
  grep -vE "^Files $node/(etc/(g?shadow-?|fstab|ssh/ssh_host_ed25519_key|confluent/confluent.apikey)|root/.ssh/id_ed25519(.pub)?) and ")
# diff reports every pair of device nodes on different file systems; their numbers are compared here.
differences=$(grep -vE "^File .* is a character special file while file .* is a character special file$" <<<"$differences")
[ -z "$differences" ] || fail "the captured image differs from the node: $(head -20 <<<"$differences")"
devices() { (cd "$1" && find . -type c -exec stat -c '%n %t:%T %a' {} + | sort); }
[ -n "$(devices "$node")" ] && [ "$(devices "$node")" = "$(devices "$dir/unpacked")" ] || fail "device nodes differ"
for s in "${secrets[@]}"; do
  ! grep -rqF -- "$s" "$dir/unpacked/etc" "$dir/unpacked/root" || fail "a secret was captured: $s"
done
grep -q '^root:!!:' "$dir/unpacked/etc/shadow" || fail "the root password hash is not !!"
[ -z "$(awk -F: '$2 != "*" && $2 != "!!"' "$dir/unpacked/etc/shadow" "$dir/unpacked/etc/gshadow")" ] ||
  fail "password hashes were captured"
[ "$(stat -c '%a %U %G' "$dir/unpacked/etc/shadow")" = "$(stat -c '%a %U %G' "$node/etc/shadow")" ] ||
  fail "the sanitised shadow lost its owner or mode"
for f in etc/ssh/ssh_host_ed25519_key root/.ssh/id_ed25519 etc/confluent/confluent.apikey; do
  [ -f "$dir/unpacked/$f" ] && [ ! -s "$dir/unpacked/$f" ] || fail "$f is not an empty file in the image"
done
grep -qx '#ORIGFSTAB#LABEL=caproot# / ext4 defaults 0 1' "$dir/unpacked/etc/fstab" || fail "fstab: $(cat "$dir/unpacked/etc/fstab")"
grep -qx '#ORIGFSTAB#LABEL=capboot# /boot ext2 defaults 0 2' "$dir/unpacked/etc/fstab" || fail "fstab /boot line"
cmp -s "$dir/unpacked/etc/ssh/ssh_host_ed25519_key.pub" "$node/etc/ssh/ssh_host_ed25519_key.pub" ||
  fail "a public host key was masked"

run imgutil capture capnode capimg
expect_rc 4
expect_err_has "Profile already exists"

# --- installtodisk: a VM network-boots the captured profile (the multisquash image decrypted
# with dm-crypt, / and /boot each mapped with dm linear under a RAM overlay), writes it to its
# empty disk (GPT, ext4 and ext2 as on the node, GRUB for BIOS), reboots, is no longer offered
# the profile by the network boot, boots from the disk and reports the deployment complete ----
stop_sshd
vm_profile_args capimg
# A site's scripts for each step: each appends its phase to a file that the marker prints, so
# the order shows that pre.d ran in the image before the copy, post.d in the new system on
# the disk, and firstboot.d and onboot.d at the boot from it.
public=/confluent-public/os/capimg
for phase in pre post firstboot onboot; do
  mkdir -p "$p/scripts/$phase.d"
  printf '#!/bin/sh\necho %s >> /etc/confluent-test-parts\n' "$phase" >"$p/scripts/$phase.d/10-test"
done
must nodedefine vmcap
must nodeattrib vmcap net.hwaddr=52:54:00:12:34:59 deployment.useinsecureprotocols=firmware \
  crypted.rootpassword=diskless-secret
must nodedeploy -p vmcap capimg
truncate -s 4G "$dir/vmcap.disk"
vm_service_start
vm_start vmcap 52:54:00:12:34:59 "$dir/vmcap.disk"
status_posts() { grep -c '"POST /confluent-api/self/updatestatus" 200' "$svclog"; }
wait_until 450 "vmcap: installimage reports the image staged" requested POST /confluent-api/self/updatestatus 200 vmcap
staged_at=$((SECONDS - vm_started))
run nodeattrib vmcap deployment.pendingprofile deployment.stagedprofile
expect_out "$(printf 'vmcap: deployment.pendingprofile:\nvmcap: deployment.stagedprofile: capimg')"
wait_until 600 "vmcap: boots from its disk and prints its marker" has_marker vmcap
booted_at=$((SECONDS - vm_started))
wait_until 600 "vmcap: onboot.sh reports the deployment complete" test "$(status_posts)" -ge 2
vm_stop_all
echo "installtodisk: staged at ${staged_at}s, the marker from the disk at ${booted_at}s" >&2
console vmcap | grep -aq 'confluent: installtodisk: /dev/vda (4096 MiB), BIOS boot, /boot, /$' ||
  fail "installimage did not plan /dev/vda as expected: $(console vmcap | grep -a 'installtodisk' | head -n 3)"
# The reboot asked the network first: the profile was no longer offered (404), so the disk booted.
[ "$(grep -c '"GET /confluent-api/boot/by-mac/52-54-00-12-34-59/ipxe" 404' "$svclog")" -ge 1 ] ||
  fail "the network boot after the install was not refused: $(grep by-mac "$svclog")"
expect_marker vmcap "root=ext4" "rootdev=/dev/vda3" "boot=ext2" "method=untethered" "parts=pre,post,firstboot,onboot"
# The steps' scripts, each fetched before the status it precedes.
staged_line=$(logline POST /confluent-api/self/updatestatus 200 vmcap)
for step in "GET /confluent-api/self/scriptlist/pre 200" "GET $public/scripts/pre.d/10-test 200" \
  "GET $public/scripts/post.sh 200" "GET $public/scripts/post.d/10-test 200"; do
  read -r method path status <<<"$step"
  n=$(logline "$method" "$path" "$status" vmcap)
  [ -n "$n" ] && [ "$n" -lt "$staged_line" ] || fail "vmcap: $step is not in the access log before the staged status"
done
n=$(logline GET "$public/scripts/firstboot.d/10-test" 200 vmcap)
[ -n "$n" ] && [ "$n" -gt "$staged_line" ] || fail "vmcap: firstboot.d was not fetched after the staged status"
run nodeattrib vmcap deployment.profile deployment.pendingprofile deployment.stagedprofile
expect_out_has "vmcap: deployment.profile: capimg"
! grep -qE '(pending|staged)profile: .' <<<"$out" || fail "the deployment is still pending or staged: $out"
