# THE SLOW TEST (about a minute here, network bound; CTest allows 300 s): the real
# `imgutil build` of a Debian 12 image with debootstrap from the mirror of this host's apt
# sources, a small package list (-p, plus -a) to stay near debootstrap's own time, then `exec`
# in it, and `pack -u --compress zstd` checked with unsquashfs (encryption and unpack are
# covered by imgutil_exec_pack). The list has no kernel (the
# kernel and its initramfs would double the time), so the test puts a kernel-like file and an
# initrd into the image's /boot before packing. Runs as root.
for tool in debootstrap mksquashfs unsquashfs; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps)"
done
[ "$(id -u)" -eq 0 ] || fail "imgutil build needs root"
grep -q '^VERSION_CODENAME=bookworm' /etc/os-release || fail "this test builds the host's release, Debian 12"

trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null
  if grep -qF " $CONFLUENT_ROOT/" /proc/self/mountinfo; then echo "mounts left under $CONFLUENT_ROOT, not removed" >&2
  else rm -rf "$CONFLUENT_ROOT"; fi' EXIT

img=$CONFLUENT_ROOT/images/debian12
lib=$CONFLUENT_ROOT/var/lib/confluent
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
run imgutil build -y -p "$CONFLUENT_ROOT/small.list" -a "$CONFLUENT_ROOT/added.list" -v "$CONFLUENT_ROOT/vol:-" "$img"
expect_rc 0
echo "imgutil build: $(($(date +%s) - start)) s" >&2
grep -qx 'ARCH=x86_64' "$img/etc/confluentimg.buildinfo" || fail "buildinfo: $(cat "$img/etc/confluentimg.buildinfo")"
grep -qE '^BUILDDATE=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$' "$img/etc/confluentimg.buildinfo" || fail "BUILDDATE"
cmp -s /etc/apt/sources.list.d/debian.sources "$img/etc/apt/sources.list.d/debian.sources" || fail "apt sources not copied"
[ ! -e "$img/etc/apt/sources.list" ] || fail "debootstrap's sources.list was kept beside the host's sources"
[ -z "$(ls "$img/var/cache/apt/archives/"*.deb 2>/dev/null)" ] || fail "downloaded packages left in the image"
[ "$(grep -cF " $CONFLUENT_ROOT/" /proc/self/mountinfo)" -eq 0 ] || fail "build left mounts behind"

run imgutil exec "$img" cat /etc/debian_version
expect_rc 0
[[ "$out" =~ ^12\.[0-9]+$ ]] || fail "not Debian 12: $out"
run imgutil exec "$img" dpkg-query -W -f '${Status}\n' iproute2 netbase
expect_rc 0
[ "$(grep -c 'install ok installed' <<<"$out")" -eq 2 ] || fail "the package lists were not installed"
run imgutil exec "$img" sh -c 'ip -V >/dev/null && apt-get -q update >/dev/null && echo net-ok'
expect_rc 0
expect_out "net-ok"

must osdeploy initialize -t
kver=6.1.0-99-amd64
bash "$SOURCE_DIR/tests/integration/imgutil/fake_kernel.sh" "$img/boot/vmlinuz-$kver" "$kver" || fail "fake_kernel.sh"
head -c 100000 /dev/urandom >"$img/boot/initrd.img-$kver"
start=$(date +%s)
run imgutil pack -u --compress zstd "$img" debian12
expect_rc 0
echo "imgutil pack -u --compress zstd: $(($(date +%s) - start)) s" >&2
p=$lib/public/os/debian12
grep -q '^label: Debian GNU/Linux 12 (bookworm) (Diskless Boot)$' "$p/profile.yaml" || fail "label: $(cat "$p/profile.yaml")"
unsquashfs -s "$p/rootimg.sfs" | grep -q 'Compression zstd' || fail "not zstd"
unsquashfs -l "$p/rootimg.sfs" | grep -q '^squashfs-root/etc/debian_version$' || fail "unsquashfs -l lacks etc/debian_version"
unsquashfs -q -n -d "$CONFLUENT_ROOT/unpacked" "$p/rootimg.sfs" >/dev/null || fail "unsquashfs -d failed"
# diff does not compare device nodes (debootstrap makes a few in /dev): all else must match.
diff -r --no-dereference "$img" "$CONFLUENT_ROOT/unpacked" >"$CONFLUENT_ROOT/diff" 2>&1
if grep -v '^File .* is a \(character\|block\) special file while' "$CONFLUENT_ROOT/diff" | grep -q .; then
  fail "unpacked image differs: $(head -5 "$CONFLUENT_ROOT/diff")"
fi
[ "$(find "$CONFLUENT_ROOT/unpacked" | wc -l)" -eq "$(find "$img" | wc -l)" ] || fail "entry counts differ"
