# THE IMAGE TEST (a CTest fixture; about 2 minutes here, network bound; CTest allows 600 s):
# the real `imgutil build` of a Debian 12 image with debootstrap from the mirror of this
# host's apt sources and the default package list (systemd, the kernel, initramfs-tools with
# confluent's diskless boot script, openssh-server...), plus -a lists and a -v volume, then
# `exec` in it, and Debian's dracut beside initramfs-tools. The image is left in
# IMGUTIL_TEST_IMAGE for imgutil_diskless_qemu (which packs it encrypted, network-boots it
# through dracut and through initramfs-tools, and unpacks it) and imgutil_capture; the
# fixture's cleanup test removes it. Runs as root.
for tool in debootstrap; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps)"
done
[ "$(id -u)" -eq 0 ] || fail "imgutil build needs root"
grep -q '^VERSION_CODENAME=bookworm' /etc/os-release || fail "this test builds the host's release, Debian 12"

trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null
  if grep -qF " $CONFLUENT_ROOT/" /proc/self/mountinfo; then echo "mounts left under $CONFLUENT_ROOT, not removed" >&2
  else rm -rf "$CONFLUENT_ROOT"; fi' EXIT

img=${IMGUTIL_TEST_IMAGE:-}
[ -n "$img" ] || fail "IMGUTIL_TEST_IMAGE is not set (tests/CMakeLists.txt sets it)"
case "$img" in */test-images/*) rm -rf "$img" ;; esac  # what an interrupted run left
printf '# small on purpose\niproute2\n' >"$CONFLUENT_ROOT/small.list"
printf 'netbase <more.list>\n' >"$CONFLUENT_ROOT/added.list"
printf '%%onlyarch nosuch\nnosuch-package\n' >"$CONFLUENT_ROOT/more.list"

mkdir -p "$img"
touch "$img/occupied"
run imgutil build -p "$CONFLUENT_ROOT/small.list" "$img"
expect_rc 4
expect_err_has "not empty; build needs a new or empty directory"
rm "$img/occupied"

start=$(date +%s)
mkdir -p "$CONFLUENT_ROOT/vol"
run imgutil build -y -a "$CONFLUENT_ROOT/added.list" -v "$CONFLUENT_ROOT/vol:-" "$img"
expect_rc 0
echo "imgutil build: $(($(date +%s) - start)) s" >&2
grep -qx 'ARCH=x86_64' "$img/etc/confluentimg.buildinfo" || fail "buildinfo: $(cat "$img/etc/confluentimg.buildinfo")"
grep -qE '^BUILDDATE=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$' "$img/etc/confluentimg.buildinfo" || fail "BUILDDATE"
cmp -s /etc/apt/sources.list.d/debian.sources "$img/etc/apt/sources.list.d/debian.sources" || fail "apt sources not copied"
[ ! -e "$img/etc/apt/sources.list" ] || fail "debootstrap's sources.list was kept beside the host's sources"
[ -z "$(ls "$img/var/cache/apt/archives/"*.deb 2>/dev/null)" ] || fail "downloaded packages left in the image"
[ "$(grep -cF -e " $CONFLUENT_ROOT/" -e " $img/" /proc/self/mountinfo)" -eq 0 ] || fail "build left mounts behind"

run imgutil exec "$img" cat /etc/debian_version
expect_rc 0
[[ "$out" =~ ^12\.[0-9]+$ ]] || fail "not Debian 12: $out"
run imgutil exec "$img" dpkg-query -W -f '${Status}\n' iproute2 netbase
expect_rc 0
[ "$(grep -c 'install ok installed' <<<"$out")" -eq 2 ] || fail "the package lists were not installed"
run imgutil exec "$img" sh -c 'ip -V >/dev/null && apt-get -q update >/dev/null && echo net-ok'
expect_rc 0
expect_out "net-ok"

# The default list: a kernel with its initramfs, made with confluent's diskless boot script.
run imgutil exec "$img" dpkg-query -W -f '${Status}\n' linux-image-amd64 systemd-sysv openssh-server busybox dmsetup
expect_rc 0
[ "$(grep -c 'install ok installed' <<<"$out")" -eq 5 ] || fail "the default package list was not installed: $out"
[ -x "$img/etc/initramfs-tools/hooks/confluent" ] && [ -f "$img/etc/initramfs-tools/scripts/confluent" ] ||
  fail "confluent's initramfs-tools pieces are not in the image"
initrd=$(ls "$img"/boot/initrd.img-* | head -n 1)
run imgutil exec "$img" lsinitramfs "${initrd#"$img"}"
expect_rc 0
for f in scripts/confluent scripts/confluent-functions usr/bin/curl usr/sbin/dmsetup usr/sbin/losetup; do
  grep -qx "$f" <<<"$out" || fail "the image's initramfs lacks $f"
done

# dracut, which imgutil_diskless_qemu boots the image through as EL images boot: Debian's
# dracut-core and dracut-network, without what they recommend (mdadm, lvm2, open-iscsi, a
# mail server...: hooks that would change the initramfs-tools initramfs, and services).
# initramfs-tools stays the image's initramfs system, its initramfs unchanged.
initrd_sum=$(md5sum <"$initrd")
run imgutil exec "$img" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get -q -y install --no-install-recommends \
  dracut-core dracut-network >/dev/null && apt-get clean && echo dracut-ok'
expect_rc 0
expect_out "dracut-ok"
run imgutil exec "$img" dpkg-query -W -f '${Status}\n' initramfs-tools dracut-core dracut-network
expect_rc 0
[ "$(grep -c 'install ok installed' <<<"$out")" -eq 3 ] || fail "initramfs-tools and dracut are not both installed: $out"
[ "$(md5sum <"$initrd")" = "$initrd_sum" ] || fail "installing dracut changed ${initrd#"$img"}"
[ -z "$(ls "$img"/boot/initramfs-* 2>/dev/null)" ] || fail "installing dracut made an initramfs"
