#!/usr/bin/env bash
# make_iso.sh FAMILY OUT.iso: a small ISO 9660 image (Rock Ridge + Joliet, by xorriso) with
# the file layout and marker files of one OS family's install media, so media detection
# and import can be tested without multi-GB downloads. Kernels and loaders are a few KB of
# random bytes, except debian12 which carries Debian 12's real installer kernel and initrd
# (package debian-installer-12-netboot-amd64) so that a later test can boot it.
# FAMILY: rhel9 rocky9 alma9 centos_stream9 fedora41 ubuntu22.04 sles15 leap15 debian12
#         esxi8 coreos, or unknown (a valid ISO of unrelated files) or bad (random bytes).
set -euo pipefail

usage() { echo "usage: $0 FAMILY OUT.iso" >&2; exit 2; }
[ $# -eq 2 ] || usage
family=$1
out=$2
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
chmod 755 "$tree"

# put PATH TEXT: a text file; blob PATH KB: KB kilobytes of random bytes.
put() { mkdir -p "$tree/$(dirname "$1")"; printf '%s\n' "$2" >"$tree/$1"; }
blob() { mkdir -p "$tree/$(dirname "$1")"; head -c $(($2 * 1024)) /dev/urandom >"$tree/$1"; }
# xorriso prints its banner even with -quiet: show its output only when it fails.
iso() {
  local log
  log=$(xorriso -as mkisofs -quiet -R -J -V "$1" -o "$out" "$tree" 2>&1) || { printf '%s\n' "$log" >&2; exit 1; }
}

# The EL DVD layout (RHEL, Rocky, Alma, CentOS Stream, Fedora). el PRODUCT VERSION PKGDIR RPM...
el() {
  local product=$1 version=$2 pkgdir=$3
  shift 3
  put .discinfo "1714067429.2327886
$product $version
x86_64"
  put .treeinfo "[general]
; WARNING.0 = This section provides compatibility with pre-productmd treeinfos.
; WARNING.1 = Read productmd documentation for details about new format.
arch = x86_64
family = $product
name = $product $version
packagedir = $pkgdir
platforms = x86_64,xen
timestamp = 1714067429
version = $version

[header]
type = productmd.treeinfo
version = 1.2

[images-x86_64]
efiboot.img = images/efiboot.img
initrd = images/pxeboot/initrd.img
kernel = images/pxeboot/vmlinuz

[release]
name = $product
version = $version"
  for rpm in "$@"; do blob "$pkgdir/$rpm" 4; done
  put "${pkgdir%Packages*}repodata/repomd.xml" '<?xml version="1.0" encoding="UTF-8"?><repomd/>'
  blob images/pxeboot/vmlinuz 8
  blob images/pxeboot/initrd.img 16
  blob images/efiboot.img 8
  blob images/install.img 16
  blob EFI/BOOT/BOOTX64.EFI 4
  blob EFI/BOOT/grubx64.efi 4
  blob EFI/BOOT/mmx64.efi 4
  put EFI/BOOT/grub.cfg "menuentry 'Install $product $version' {
	linuxefi /images/pxeboot/vmlinuz inst.stage2=hd:LABEL=x quiet
	initrdefi /images/pxeboot/initrd.img
}"
  put isolinux/isolinux.cfg "label linux
  kernel vmlinuz
  append initrd=initrd.img inst.stage2=hd:LABEL=x quiet"
  blob isolinux/isolinux.bin 4
  put EULA "End user license agreement for $product"
  put GPL "GNU GENERAL PUBLIC LICENSE"
  put BaseOS/Packages/TRANS.TBL "F redhat-release.rpm redhat-release.rpm"
}

case $family in
  rhel9)
    el "Red Hat Enterprise Linux" 9.4 BaseOS/Packages \
      redhat-release-9.4-0.5.el9.x86_64.rpm redhat-release-eula-9.4-0.5.el9.x86_64.rpm bash-5.1.8-9.el9.x86_64.rpm
    blob AppStream/Packages/httpd-2.4.57-8.el9.x86_64.rpm 4
    iso RHEL-9-4-0-BaseOS-x86_64 ;;
  rocky9)
    el "Rocky Linux" 9.4 BaseOS/Packages/r \
      rocky-release-9.4-1.7.el9.noarch.rpm rocky-repos-9.4-1.7.el9.noarch.rpm rocky-logos-90.15-2.el9.x86_64.rpm
    iso Rocky-9-4-x86_64-dvd ;;
  alma9)
    el AlmaLinux 9.4 BaseOS/Packages \
      almalinux-release-9.4-1.el9.x86_64.rpm almalinux-repos-9.4-1.el9.x86_64.rpm almalinux-gpg-keys-9.4-1.el9.x86_64.rpm
    iso AlmaLinux-9-4-x86_64-dvd ;;
  centos_stream9)
    el "CentOS Stream" 9 BaseOS/Packages \
      centos-stream-release-9.0-26.el9.noarch.rpm centos-stream-repos-9.0-26.el9.noarch.rpm \
      centos-gpg-keys-9.0-26.el9.noarch.rpm
    iso CentOS-Stream-9-BaseOS-x86_64 ;;
  fedora41)
    el Fedora 41 Packages/f fedora-release-server-41-29.noarch.rpm fedora-release-common-41-29.noarch.rpm \
      fedora-repos-41-2.noarch.rpm
    iso Fedora-S-dvd-x86_64-41 ;;
  ubuntu22.04)
    put .disk/info 'Ubuntu-Server 22.04.4 LTS "Jammy Jellyfish" - Release amd64 (20240220)'
    put .disk/casper-uuid-generic 1f4a0c9e-6e2b-4d3a-9b5e-0c0f2d9b7a11
    put .disk/base_installable ''
    blob casper/vmlinuz 8
    blob casper/initrd 16
    blob casper/hwe-vmlinuz 8
    blob casper/hwe-initrd 16
    blob casper/ubuntu-server-minimal.squashfs 16
    put casper/install-sources.yaml "- default: true
  id: ubuntu-server
  type: fsimage"
    blob EFI/boot/bootx64.efi 4
    blob EFI/boot/grubx64.efi 4
    blob EFI/boot/mmx64.efi 4
    put boot/grub/grub.cfg "set timeout=30
menuentry \"Try or Install Ubuntu Server\" {
	linux	/casper/vmlinuz  ---
	initrd	/casper/initrd
}"
    # shellcheck disable=SC2016  # grub's own variable, literal
    put boot/grub/loopback.cfg 'menuentry "Try or Install Ubuntu Server" { linux /casper/vmlinuz iso-scan/filename=${iso_path} --- }'
    blob boot/grub/fonts/unicode.pf2 4
    blob boot/grub/x86_64-efi/linux.mod 2
    blob boot/grub/x86_64-efi/iso9660.mod 2
    put dists/jammy/Release "Origin: Ubuntu
Suite: jammy
Version: 22.04
Architectures: amd64"
    blob pool/main/g/grub2/grub-efi-amd64-bin_2.06-2ubuntu7.2_amd64.deb 4
    put md5sum.txt "d41d8cd98f00b204e9800998ecf8427e  ./casper/vmlinuz"
    ln -s . "$tree/ubuntu"
    iso "Ubuntu-Server 22.04.4 LTS amd64" ;;
  sles15 | leap15)
    if [ "$family" = sles15 ]; then
      put media.1/products "/ SLES 15.5-0"
      put media.1/media "SUSE - SLE-15-SP5-Online-x86_64-GM-Media1
20230615-0
1"
      label=SLE-15-SP5-Online-x86_64
    else
      put media.1/products "/ openSUSE-Leap 15.5-0"
      put media.1/media "openSUSE - openSUSE-Leap-15.5-DVD-x86_64-Build491.1-Media
Build491.1
1"
      blob x86_64/bash-4.4-150400.27.3.2.x86_64.rpm 4
      blob noarch/openSUSE-release-15.5-lp155.286.1.noarch.rpm 4
      put repodata/repomd.xml '<?xml version="1.0" encoding="UTF-8"?><repomd/>'
      label=openSUSE-Leap-15.5-DVD-x86_64
    fi
    blob boot/x86_64/loader/linux 8
    blob boot/x86_64/loader/initrd 16
    put boot/x86_64/loader/isolinux.cfg "default harddisk
label linux
  kernel linux
  append initrd=initrd splash=silent showopts"
    blob boot/x86_64/efi 8
    blob boot/x86_64/root 16
    blob EFI/BOOT/bootx64.efi 4
    blob EFI/BOOT/grub.efi 4
    put EFI/BOOT/grub.cfg "menuentry 'Installation' { linuxefi /boot/x86_64/loader/linux splash=silent; initrdefi /boot/x86_64/loader/initrd }"
    iso "$label" ;;
  debian12)
    images=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64
    [ -r "$images/linux" ] || { echo "$0: $images/linux missing (install debian-installer-12-netboot-amd64)" >&2; exit 1; }
    put .disk/info 'Debian GNU/Linux 12.5.0 "Bookworm" - Official amd64 NETINST with firmware 20240210-11:27'
    put .disk/base_installable ''
    put .disk/cd_type not_complete
    put .disk/udeb_include "netcfg
ethdetect"
    mkdir -p "$tree/install.amd"
    cp "$images/linux" "$tree/install.amd/vmlinuz"
    cp "$images/initrd.gz" "$tree/install.amd/initrd.gz"
    put dists/bookworm/Release "Origin: Debian
Label: Debian
Suite: stable
Version: 12.5
Codename: bookworm
Date: Sat, 10 Feb 2024 11:01:21 UTC
Architectures: amd64
Components: main non-free-firmware"
    blob dists/bookworm/main/binary-amd64/Packages.gz 4
    blob pool/main/b/base-files/base-files_12.4+deb12u5_amd64.deb 4
    blob EFI/boot/bootx64.efi 4
    blob EFI/boot/grubx64.efi 4
    put boot/grub/grub.cfg "menuentry --hotkey=i 'Install' {
    linux    /install.amd/vmlinuz vga=788 --- quiet
    initrd   /install.amd/initrd.gz
}"
    blob boot/grub/x86_64-efi/linux.mod 2
    put isolinux/isolinux.cfg "include menu.cfg
default vesamenu.c32"
    put md5sum.txt "00000000000000000000000000000000  ./install.amd/vmlinuz"
    ln -s . "$tree/debian"
    ln -s bookworm "$tree/dists/stable"
    iso "Debian 12.5.0 amd64 n" ;;
  esxi8)
    # ESXi media carry upper-case 8.3 names; BOOT.CFG names them in lower case.
    put .DISCINFO "ESXi
Version: 8.0U2
Release: 22380479"
    modules="jumpstrt.gz useropts.gz features.gz k.b00 uc_intel.b00 uc_amd.b00 procfs.b00 vmx.v00 vim.v00 sb.v00 s.v00"
    list=""
    for m in $modules; do
      blob "${m^^}" 2
      list="$list${list:+ --- }/$m"
    done
    blob B.B00 8
    cfg="bootstate=0
title=Loading ESXi installer
timeout=5
prefix=
kernel=/b.b00
kernelopt=runweasel cdromBoot
modules=$list
build=8.0.2-0.0.22380479
updated=0"
    put BOOT.CFG "$cfg"
    put EFI/BOOT/BOOT.CFG "$cfg"
    blob EFI/BOOT/BOOTX64.EFI 4
    blob EFI/BOOT/CRYPTO64.EFI 4
    blob EFIBOOT.IMG 8
    blob ISOLINUX.BIN 4
    put ISOLINUX.CFG "DEFAULT menu.c32
LABEL install
  KERNEL mboot.c32
  APPEND -c boot.cfg"
    blob MBOOT.C32 4
    blob UPGRADE/METADATA.ZIP 4
    put UPGRADE/PROFILE.XML '<?xml version="1.0"?><imageProfile><name>ESXi-8.0U2-22380479-standard</name></imageProfile>'
    iso ESXI-8.0U2-22380479-STANDARD ;;
  coreos)
    build=414.92.202310210434-0
    put zipl.prm "rd.neednet=1 console=ttysclp0 coreos.liveiso=rhcos-$build ignition.firstboot ignition.platform.id=metal"
    blob images/pxeboot/vmlinuz 8
    blob images/pxeboot/initrd.img 16
    blob images/pxeboot/rootfs.img 32
    blob images/efiboot.img 8
    blob images/ignition.img 2
    put coreos/features.json '{"installer-config": true, "live-initrd-network": true}'
    put coreos/kargs.json '{"default": "coreos.liveiso=rhcos-'"$build"' ignition.firstboot ignition.platform.id=metal"}'
    put coreos/igninfo.json '{"file": "images/ignition.img"}'
    put isolinux/isolinux.cfg "label linux
  kernel /images/pxeboot/vmlinuz
  append initrd=/images/pxeboot/initrd.img,/images/ignition.img coreos.liveiso=rhcos-$build ignition.firstboot ignition.platform.id=metal"
    blob EFI/redhat/shimx64.efi 4
    blob EFI/redhat/grubx64.efi 4
    put EFI/redhat/grub.cfg "menuentry 'RHEL CoreOS (Live)' { linux /images/pxeboot/vmlinuz coreos.liveiso=rhcos-$build }"
    iso "rhcos-$build" ;;
  unknown)
    put README.txt "Holiday photos, not an operating system."
    blob photos/2023/beach.jpg 16
    blob photos/2023/mountain.jpg 16
    put docs/notes.md "# notes"
    iso PHOTOS_2023 ;;
  bad)
    head -c $((1024 * 1024)) /dev/urandom >"$out" ;;
  *)
    echo "$0: unknown family '$family'" >&2
    usage ;;
esac
