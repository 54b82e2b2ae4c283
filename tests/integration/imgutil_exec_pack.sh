# imgutil exec, pack and unpack on a small image root made here (no network, a few seconds):
# bash and a few programs with their libraries (ldd), an os-release, a bzImage-like kernel,
# an initrd and UEFI loaders. Exec: exit statuses, signals, PID 1, read-only volumes in their
# three forms, and no mount left on the host. Pack: plain and encrypted profiles checked with
# unsquashfs and by unpacking them again, SOURCE_DATE_EPOCH reproducibility, the diskless
# templates, -b, and failures that leave nothing behind. Runs as root (namespaces, mounts).
for tool in mksquashfs unsquashfs ldd; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (squashfs-tools, libc-bin)"
done
[ "$(id -u)" -eq 0 ] || fail "imgutil exec needs root"

# Never rm -rf through a mount: if one were left under the test root, keep the tree.
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null
  if grep -qF " $CONFLUENT_ROOT/" /proc/self/mountinfo; then echo "mounts left under $CONFLUENT_ROOT, not removed" >&2
  else rm -rf "$CONFLUENT_ROOT"; fi' EXIT

lib=$CONFLUENT_ROOT/var/lib/confluent
root=$CONFLUENT_ROOT/img/testroot
kver=6.1.0-99-amd64
mounts_here() { grep -cF " $CONFLUENT_ROOT/" /proc/self/mountinfo; }
one_line_error() { [ -n "$err" ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "expected a one-line error"; }

copy_programs() {
  local p l
  for p in "$@"; do
    p=$(command -v "$p") || fail "no $1 on this host"
    mkdir -p "$root/usr/bin"
    cp -L "$p" "$root/usr/bin/"
    for l in $(ldd "$p" | grep -o '/[^ ]*'); do
      mkdir -p "$root$(dirname "$l")"
      cp -Ln "$l" "$root$l"
    done
  done
}

make_kernel() { bash "$SOURCE_DIR/tests/integration/imgutil/fake_kernel.sh" "$@" || fail "fake_kernel.sh $*"; }

mkdir -p "$root"/{boot,etc,root,usr/lib/shim,usr/lib/grub/x86_64-efi-signed}
copy_programs bash sh cat ls touch sleep
ln -s usr/bin "$root/bin"
ln -s ../usr/lib/os-release "$root/etc/os-release"
printf 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Test Debian 12 (imgutil)"\n' >"$root/usr/lib/os-release"
make_kernel "$root/boot/vmlinuz-$kver" "$kver"
make_kernel "$root/boot/vmlinuz-6.1.0-9-amd64" "6.1.0-9-amd64"
head -c 300000 /dev/urandom >"$root/boot/initrd.img-$kver"
echo "shim" >"$root/usr/lib/shim/shimx64.efi.signed"
echo "grub" >"$root/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed"
echo "secret content" >"$root/root/file"
chmod 600 "$root/root/file"
ln -s /root/file "$root/etc/link"

# --- exec ---------------------------------------------------------------------------------
before=$(mounts_here)
for status in 0 3 77; do
  run imgutil exec "$root" /bin/sh -c "exit $status"
  expect_rc "$status"
done
run imgutil exec "$root" /bin/sh -c 'echo $$; echo "$CONFLUENT_IMGUTIL_MODE"; ls /proc'
expect_rc 0
[ "$(sed -n 1p <<<"$out")" = 1 ] || fail "the command is not PID 1"
[ "$(sed -n 2p <<<"$out")" = exec ] || fail "CONFLUENT_IMGUTIL_MODE is not exec"
[ "$(grep -c '^[0-9]*$' <<<"$out")" -le 3 ] || fail "the image's /proc shows processes of the host"
run imgutil exec "$root" ls /proc/1/
expect_rc 0
expect_out_has "cmdline"
run imgutil exec "$root" cat /etc/resolv.conf
expect_rc 0
[ "$out" = "$(cat /etc/resolv.conf)" ] || fail "the image does not see the host's resolv.conf"

# A command killed by a signal: 128+N. PID 1 of a namespace ignores signals from inside it,
# so the test kills it from here (SIGKILL always reaches it).
imgutil exec "$root" /usr/bin/sleep 60 &
job=$!
for _ in $(seq 100); do
  middle=$(pgrep -P "$job") && init=$(pgrep -P "$middle") && break
  sleep 0.1
done
[ -n "${init:-}" ] || fail "the exec'd sleep did not start"
[ "$(tr '\0' ' ' </proc/"$init"/cmdline)" = "/usr/bin/sleep 60 " ] || fail "PID 1 is not the command"
kill -KILL "$init"
wait "$job"
rc=$?
expect_rc 137

# Volumes: /src at /run/external/src, /src:/dst at /dst, /src:- at /src; all read-only.
vols=$CONFLUENT_ROOT/vols
mkdir -p "$vols"/{a,b,c}
echo A >"$vols/a/f" && echo B >"$vols/b/f" && echo C >"$vols/c/f"
run imgutil exec -v "$vols/a" -v "$vols/b:/mnt/b" -v "$vols/c:-" "$root" /bin/sh -c \
  "cat /run/external$vols/a/f /mnt/b/f $vols/c/f; touch /mnt/b/new $vols/c/new /run/external$vols/a/new 2>&1; echo done"
expect_rc 0
[ "$(sed -n 1,3p <<<"$out" | paste -sd,)" = "A,B,C" ] || fail "volumes are not where they belong"
[ "$(grep -c 'Read-only file system' <<<"$out")" -eq 3 ] || fail "a volume is writable"
[ -z "$(find "$vols" -name new)" ] || fail "a write went through a read-only volume"
# Options stop at the image: "-v" after it belongs to the command.
run imgutil exec "$root" /bin/sh -c 'echo "$1"' sh -v
expect_rc 0
expect_out "-v"

run imgutil exec "$root" nosuchcommand
expect_rc 127
expect_err_has "nosuchcommand: command not found in the image"
one_line_error
run imgutil exec "$CONFLUENT_ROOT/nosuchroot" /bin/true
expect_rc 3
one_line_error
run imgutil exec -v "$vols/missing" "$root" /bin/true
expect_rc 3
expect_err_has "$vols/missing"
echo 'ARCH=aarch64' >"$root/etc/confluentimg.buildinfo"
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  run imgutil exec "$root" /bin/true
  expect_rc 4
  expect_err_has "architecture 'aarch64' is not this host's"
  one_line_error
fi
rm "$root/etc/confluentimg.buildinfo"
[ "$(mounts_here)" = "$before" ] || fail "exec left mounts behind: $(grep -F " $CONFLUENT_ROOT/" /proc/self/mountinfo)"
[ "$before" -eq 0 ] || fail "mounts under the test root before the test"

# --- pack ---------------------------------------------------------------------------------
run imgutil pack -u "$root" plain
expect_rc 4
expect_err_has "Must generate site content first"
[ ! -e "$lib/public/os/plain" ] || fail "a refused pack left a profile"
must osdeploy initialize -t

run imgutil pack -u "$root" plain
expect_rc 0
expect_out "Diskless profile created: plain"
! grep -q warning <<<"$err" || fail "pack warned: $err"
for bad in "xz 3:xz has no compression level" "zstd 23:zstd takes a level from 1 to 22" "gzip 10:gzip takes a level from 1 to 9"; do
  read -r comp level <<<"${bad%%:*}"
  run imgutil pack -u --compress "$comp" --compress-level "$level" "$root" levels
  expect_rc 2
  expect_err_has "${bad#*:}"
done
[ ! -e "$lib/public/os/levels" ] || fail "a refused pack left a profile"
p=$lib/public/os/plain
[ -x "$p/scripts/onboot.sh" ] || fail "the debian-diskless profile template was not copied"
[ "$(head -c 4 "$p/rootimg.sfs")" = hsqs ] || fail "rootimg.sfs is not a squashfs"
unsquashfs -s "$p/rootimg.sfs" | grep -q 'Compression xz' || fail "not xz by default"
unsquashfs -l "$p/rootimg.sfs" | grep -q "squashfs-root/boot/vmlinuz-$kver" || fail "unsquashfs -l lacks the kernel"
unsquashfs -q -n -d "$CONFLUENT_ROOT/check" "$p/rootimg.sfs" >/dev/null || fail "unsquashfs -d"
diff -r --no-dereference "$root" "$CONFLUENT_ROOT/check" || fail "the image differs from the tree"
[ "$(stat -c %a "$CONFLUENT_ROOT/check/root/file")" = 600 ] || fail "modes are not kept"
cmp -s "$p/boot/kernel" "$root/boot/vmlinuz-$kver" || fail "boot/kernel is not the newest kernel"
cmp -s "$p/boot/initramfs/distribution" "$root/boot/initrd.img-$kver" || fail "boot/initramfs/distribution"
[ "$(readlink "$p/boot/initramfs/site.cpio")" = ../../../../site/initramfs.cpio ] || fail "site.cpio link"
for f in BOOTX64.EFI grubx64.efi grub.efi; do [ -f "$p/boot/efi/boot/$f" ] || fail "no boot/efi/boot/$f"; done
grep -q 'linux /kernel' "$p/boot/EFI/debian/grub.cfg" || fail "the signed GRUB's grub.cfg was not written"
grep -qx 'label: Test Debian 12 (imgutil) (Diskless Boot)' "$p/profile.yaml" || fail "profile.yaml label"
grep -q '^kernelargs: boot=confluent quiet # confluent_imagemethod=untethered|tethered' "$p/profile.yaml" || fail "kernelargs"
grep -qx "PACKEDFROM=$root" "$p/build-info" || fail "build-info: $(cat "$p/build-info")"
grep -q '^imgfetch boot/kernel boot=confluent quiet initrd=site.cpio initrd=distribution$' "$p/boot.ipxe" || fail "boot.ipxe: $(cat "$p/boot.ipxe")"
[ -s "$p/boot.img" ] || fail "updateboot did not run"
[ ! -e "$lib/private/os/plain" ] || fail "an unencrypted profile got a key"
[ "$(stat -c %a "$p/rootimg.sfs")" = 644 ] || fail "rootimg.sfs is not readable by the web server"

run imgutil pack --compress zstd "$root" crypted
expect_rc 0
c=$lib/public/os/crypted
head -c 37 "$c/rootimg.sfs" | cmp -s - <(printf '\xaa\xd5\x0f\x7e\x5d\xfb\x4b\x7c\xa1\x2a\xf4\x0b\x6d\x94\xf7\xfc\x14CONFLUENT_CRYPTIMAGE') ||
  fail "rootimg.sfs lacks the crypt header"
key=$lib/private/os/crypted/pending/rootimg.key
[ "$(stat -c %a "$key")" = 600 ] || fail "key file mode $(stat -c %a "$key")"
[ "$(stat -c %a "$lib/private/os/crypted/pending")" = 700 ] || fail "pending directory mode"
[ "$(sed -n 1p "$key")" = aes-xts-plain64 ] && [[ "$(sed -n 2p "$key")" =~ ^[0-9a-f]{64}$ ]] || fail "key file: $(cat "$key")"
[ $(( ($(stat -c %s "$c/rootimg.sfs") - 4096) % 4096 )) -eq 0 ] || fail "payload is not whole 4 KiB blocks"
[ -z "$(find "$lib" -name '*.plain' -o -name '.*.new')" ] || fail "pack left temporary files"

# --- unpack -------------------------------------------------------------------------------
run imgutil unpack plain "$CONFLUENT_ROOT/up-plain"
expect_rc 0
diff -r --no-dereference "$root" "$CONFLUENT_ROOT/up-plain" || fail "unpack of the plain image differs"
run imgutil unpack "$c" "$CONFLUENT_ROOT/up-crypted/"
expect_rc 0
diff -r --no-dereference "$root" "$CONFLUENT_ROOT/up-crypted" || fail "unpack of the encrypted image differs"
[ -z "$(find "$CONFLUENT_ROOT" -maxdepth 1 -name '.*plain-image*')" ] || fail "the decrypted copy was left behind"
mkdir "$CONFLUENT_ROOT/empty"
run imgutil unpack "$c/rootimg.sfs" "$CONFLUENT_ROOT/empty"
expect_rc 0
[ -f "$CONFLUENT_ROOT/empty/root/file" ] || fail "unpack into an empty directory"
run imgutil unpack plain "$CONFLUENT_ROOT/up-plain"
expect_rc 4
expect_err_has "exists and is not empty"
one_line_error

# Bad images, each a one-line error, and no target left behind.
bad=$lib/public/os
mkdir -p "$bad/truncated" "$bad/garbage" "$bad/wrongkey" "$bad/nokey" "$bad/corrupt"
head -c 100 "$c/rootimg.sfs" >"$bad/truncated/rootimg.sfs"
head -c 8192 /dev/urandom >"$bad/garbage/rootimg.sfs"
cp "$c/rootimg.sfs" "$bad/wrongkey/rootimg.sfs"
cp "$c/rootimg.sfs" "$bad/nokey/rootimg.sfs"
mkdir -p "$lib/private/os/wrongkey/pending"
printf 'aes-xts-plain64\n%s\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$lib/private/os/wrongkey/pending/rootimg.key"
{ head -c 96 "$p/rootimg.sfs"; head -c 20000 /dev/urandom; } >"$bad/corrupt/rootimg.sfs"
declare -A expect=([truncated]="truncated" [garbage]="Unrecognized image format" [wrongkey]="wrong key or corrupt image"
  [nokey]="rootimg.key: missing" [corrupt]="unsquashfs failed" [nosuch]="no such image or profile")
for name in "${!expect[@]}"; do
  run imgutil unpack "$name" "$CONFLUENT_ROOT/up-$name"
  [ "$rc" -ne 0 ] || fail "unpack of $name succeeded"
  expect_err_has "${expect[$name]}"
  one_line_error
  [ ! -e "$CONFLUENT_ROOT/up-$name" ] || fail "a failed unpack of $name left its target"
done
[ -z "$(find "$CONFLUENT_ROOT" -maxdepth 1 -name '.*plain-image*')" ] || fail "a failed unpack left the decrypted copy"

# --- reproducible packs -------------------------------------------------------------------
export SOURCE_DATE_EPOCH=1700000000
must imgutil pack -u --compress zstd "$root" repro1
touch "$root/root/file"  # mtimes do not matter with SOURCE_DATE_EPOCH
must imgutil pack -u --compress zstd "$root" repro2
cmp -s "$lib/public/os/repro1/rootimg.sfs" "$lib/public/os/repro2/rootimg.sfs" || fail "SOURCE_DATE_EPOCH packs differ"
unsquashfs -s "$lib/public/os/repro1/rootimg.sfs" | grep -q 'Compression zstd' || fail "not zstd"
cmp -s "$lib/public/os/repro1/build-info" "$lib/public/os/repro2/build-info" || fail "PACKDATE ignores SOURCE_DATE_EPOCH"
unset SOURCE_DATE_EPOCH
run env SOURCE_DATE_EPOCH=soon imgutil pack -u "$root" repro3
expect_rc 2
run imgutil pack --compress lzo "$root" repro3
expect_rc 2

# --- -b and the diskless templates ----------------------------------------------------------
echo "kernelargs: console=ttyS0" >"$lib/public/os/plain/extra.yaml"
run imgutil pack -u -b plain "$root" derived
expect_rc 0
cmp -s "$lib/public/os/plain/profile.yaml" "$lib/public/os/derived/profile.yaml" || fail "-b did not copy profile.yaml"
[ -f "$lib/public/os/derived/extra.yaml" ] || fail "-b did not copy the base's files"
grep -qx "BASEPROFILE=plain" "$lib/public/os/derived/build-info" || fail "build-info lacks BASEPROFILE"
tpl=$CONFLUENT_ROOT/templates/debian-diskless
mkdir -p "$tpl/initramfs" "$tpl/profiles/default/scripts"
echo addons >"$tpl/initramfs/addons.cpio"
printf '#!/bin/sh\necho %%%%PROFILE%%%%\n' >"$tpl/profiles/default/scripts/onboot.sh"
chmod 755 "$tpl/profiles/default/scripts/onboot.sh"
run env CONFLUENT_OSDEPLOY_TEMPLATES="$CONFLUENT_ROOT/templates" imgutil pack -u "$root" templated
expect_rc 0
expect_no_err
t=$lib/public/os/templated
[ "$(readlink "$t/boot/initramfs/addons.cpio")" = "$tpl/initramfs/addons.cpio" ] || fail "addons.cpio link"
grep -qx 'echo templated' "$t/scripts/onboot.sh" && [ -x "$t/scripts/onboot.sh" ] || fail "template scripts"
grep -q 'scripts/onboot.sh' "$t/manifest.yaml" || fail "manifest.yaml lacks the template files"
grep -q 'initrd=addons.cpio initrd=site.cpio initrd=distribution' "$t/boot.ipxe" || fail "addons not booted: $(cat "$t/boot.ipxe")"

# --- pack failures: one line each, nothing left ------------------------------------------
state() { find "$lib" | sort; }
snapshot=$(state)
run imgutil pack "$root" plain
expect_rc 4
expect_err_has "Profile already exists, select a different name or delete existing $lib/public/os/plain"
run imgutil pack "$root" some/where
expect_rc 4
expect_err "imgutil: error: Full path not supported, supply only the profile name"
run imgutil pack -b nosuchbase "$root" fresh
expect_rc 3
expect_err_has "Specified base profile \"$lib/public/os/nosuchbase\" does not seem to exist"
mkdir -p "$CONFLUENT_ROOT/img/nokernel/boot"
run imgutil pack "$CONFLUENT_ROOT/img/nokernel" fresh
expect_rc 1
expect_err "imgutil: error: No kernel found in $CONFLUENT_ROOT/img/nokernel/boot"
mkdir -p "$CONFLUENT_ROOT/fakebin"
printf '#!/bin/sh\necho "mksquashfs: disk full" >&2\nexit 1\n' >"$CONFLUENT_ROOT/fakebin/mksquashfs"
chmod 755 "$CONFLUENT_ROOT/fakebin/mksquashfs"
run env PATH="$CONFLUENT_ROOT/fakebin:$PATH" imgutil pack "$root" fresh
expect_rc 1
expect_err "imgutil: error: mksquashfs failed: mksquashfs: disk full"
rm "$lib/public/site/initramfs.cpio"
run imgutil pack "$root" fresh
expect_rc 4
[ "$(state)" = "$(echo "$snapshot" | grep -v '/public/site/initramfs.cpio$')" ] || fail "failed packs left files behind"
