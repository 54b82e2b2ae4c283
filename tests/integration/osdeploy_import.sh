# osdeploy import, importcheck, list, updateboot and rebase on ISOs that carry each OS
# family's real marker layout (built here with xorriso by osdeploy/make_iso.sh; the Debian
# one holds the real installer kernel and initrd of Debian 12).
make_iso() { bash "$SOURCE_DIR/tests/integration/osdeploy/make_iso.sh" "$@" >/dev/null 2>&1 || fail "make_iso.sh $*"; }
isos=$CONFLUENT_ROOT/isos
mkdir -p "$isos"
lib=$CONFLUENT_ROOT/var/lib/confluent
export MTOOLS_SKIP_CHECK=1

make_iso rhel9 "$isos/rhel9.iso"
run osdeploy import "$isos/rhel9.iso"
expect_rc 1
expect_err_has "\`osdeploy initialize\` must be executed before importing any media"
must osdeploy initialize -t

declare -A category=([rhel9]=el9 [rocky9]=el9 [alma9]=el9 [centos_stream9]=el9 [fedora41]=el10
  [ubuntu22.04]=ubuntu22.04 [sles15]=suse15 [leap15]=suse15 [debian12]=debian [esxi8]=esxi8 [coreos]=coreos)
for family in "${!category[@]}"; do
  [ -f "$isos/$family.iso" ] || make_iso "$family" "$isos/$family.iso"
  run osdeploy importcheck "$isos/$family.iso"
  expect_rc 0
  expect_out_has "category: ${category[$family]}"
  name=$(sed -n 's/^name: //p' <<<"$out")
  [ -n "$name" ] || fail "$family: no name"
  run osdeploy import "$isos/$family.iso"
  expect_rc 0
  expect_out_has "Importing from $isos/$family.iso to $lib/distributions/$name"
  expect_out_has "Deployment profile created: $name-"
  expect_out_lacks "copying:"  # no progress in a pipe
  [ -f "$lib/distributions/$name/distinfo.yaml" ] || fail "$family: no distinfo.yaml"
  for profile in $(sed -n 's/^Deployment profile created: //p' <<<"$out"); do
    p=$lib/public/os/$profile
    for f in profile.yaml manifest.yaml boot.ipxe boot.img; do [ -s "$p/$f" ] || fail "$profile: no $f"; done
    head -1 "$p/boot.ipxe" | grep -qx '#!ipxe' || fail "$profile: boot.ipxe"
    mdir -i "$p/boot.img" :: >/dev/null || fail "$profile: boot.img is not a FAT image"
    grep -qE '%%(DISTRO|VERSION|ARCH|PROFILE)%%' "$p/profile.yaml" && fail "$profile: unsubstituted placeholders in profile.yaml"
    [ -e "$p/boot/initramfs/site.cpio" ] || fail "$profile: no site.cpio link"
  done
done

# The EL profile in detail: kernel and initrds from images/pxeboot, in the fixed order.
p=$lib/public/os/rhel-9.4-x86_64-default
[ -d "$p" ] || fail "no rhel-9.4-x86_64-default profile: $(ls "$lib/public/os")"
cmp -s "$p/boot/kernel" "$lib/distributions/rhel-9.4-x86_64/images/pxeboot/vmlinuz" || fail "kernel is not the media's"
grep -q '^imgfetch boot/kernel .*initrd=site.cpio.*initrd=distribution' "$p/boot.ipxe" || fail "initrd order: $(cat "$p/boot.ipxe")"
mdir -i "$p/boot.img" ::kernel >/dev/null || fail "boot.img lacks the kernel"
grep -q 'linux /kernel' "$p/boot/efi/boot/grub.cfg" || fail "grub.cfg: $(cat "$p/boot/efi/boot/grub.cfg")"
# Ubuntu keeps the whole ISO for the installer; Debian has the real installer kernel.
cmp -s "$isos/ubuntu22.04.iso" "$(ls -d "$lib"/distributions/ubuntu-*)/install.iso" || fail "ubuntu install.iso"
cmp -s /usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux \
  "$(ls -d "$lib"/public/os/debian-*-default)/boot/kernel" || fail "debian kernel"

run osdeploy list
expect_rc 0
expect_out_has $'Distributions:\n'
expect_out_has "    rhel-9.4-x86_64"
expect_out_has "    rhel-9.4-x86_64-default"

# Re-import: refused, nothing touched.
sum=$(find "$lib/distributions/rhel-9.4-x86_64" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
run osdeploy import "$isos/rhel9.iso"
expect_rc 4
expect_err_has "already exists"
[ "$(find "$lib/distributions/rhel-9.4-x86_64" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)" = "$sum" ] ||
  fail "a refused re-import changed the distribution"
# A custom name imports the same media again.
run osdeploy import -n myrhel "$isos/rhel9.iso"
expect_rc 0
expect_out_has "Deployment profile created: myrhel-default"

# Bad media: one clear error, nothing left behind.
state() { find "$lib" | sort | sha256sum; }
before=$(state)
make_iso unknown "$isos/unknown.iso"
run osdeploy import "$isos/unknown.iso"
expect_rc 4
expect_err_has "Unsupported Media"
make_iso bad "$isos/bad.iso"
run osdeploy import "$isos/bad.iso"
expect_rc 4
expect_err_has "bad.iso"
head -c $(( $(stat -c %s "$isos/rhel9.iso") / 2 )) "$isos/rhel9.iso" > "$isos/truncated.iso"
run osdeploy import -n truncated "$isos/truncated.iso"
[ "$rc" -ne 0 ] || fail "a truncated ISO imported"
expect_err_has "truncated.iso"
run osdeploy import "$isos/missing.iso"
expect_rc 3
[ "$(state)" = "$before" ] || fail "failed imports left files behind"

# updateboot regenerates; rebase keeps customized files and updates the others.
rm "$p/boot.ipxe"
run osdeploy updateboot rhel-9.4-x86_64-default
expect_out "Updated: rhel-9.4-x86_64-default"
[ -s "$p/boot.ipxe" ] || fail "updateboot did not write boot.ipxe"
run osdeploy updateboot nosuch
expect_rc 3
echo "# site change" >> "$p/kickstart"
run osdeploy rebase rhel-9.4-x86_64-default
expect_rc 0
expect_out_has "Skipping update of kickstart as current copy was customized or no manifest data was available"
grep -q '# site change' "$p/kickstart" || fail "rebase overwrote a customized file"
