#!/bin/bash
# dracut module of confluent's diskless boot (boot=confluent on the kernel command line, the
# kernelargs of imgutil pack): once dracut's network is up, its netroot handler
# /sbin/confluentroot runs the steps of scripts/confluent (shared with initramfs-tools) and
# mounts the image at /sysroot. imgutil build puts it into EL images as
# modules.d/97confluent (dracutmodules+=" confluent base terminfo "), capture into a copy of a
# node's modules (dracut -m 'confluent base terminfo'); depends() brings the network.
# shellcheck disable=SC2154  # moddir, initdir come from dracut

check() {
    require_binaries curl losetup dmsetup od dd || return 1
    return 255  # only when asked for
}

depends() {
    # dracut's shell init, without systemd in the initramfs: the network meta-module would
    # pick systemd-networkd or NetworkManager where installed, which bring systemd with them;
    # the legacy scripts (dhclient) need none.
    if find_binary dhclient > /dev/null 2>&1; then
        echo network-legacy network
    else
        echo network
    fi
    return 0
}

installkernel() {
    hostonly='' instmods loop squashfs overlay dm_mod dm_crypt xts aes_generic
    # The CPU's AES instructions, loaded (by scripts/confluent's "modprobe aes") before the
    # image is mapped: dm-crypt keeps the implementation it started with, and the generic
    # one makes every read of the image after switch_root many times slower.
    case "$(uname -m)" in
        x86_64) hostonly='' instmods aesni_intel ;;
        aarch64) hostonly='' instmods aes_ce_blk aes_neon_bs ;;
    esac
    # dracut's network brings the drivers of network cards, not of the bus that virtual
    # machines' virtio cards sit on, a module in some kernels (Debian's).
    hostonly='' instmods virtio_pci
    if find_binary nbd-client > /dev/null 2>&1; then
        hostonly='' instmods nbd
    fi
}

install() {
    # What scripts/confluent and the profile's functions run beside dracut's base.
    inst_multiple curl losetup dmsetup od dd stat cut tr head sort blockdev chroot sync cat grep
    # openssl hashes the API key here (without it, the server hashes it).
    inst_multiple -o openssl findmnt
    # A tethered boot reads the image on demand through nbdkit's curl plugin and nbd-client.
    if find_binary nbdkit > /dev/null 2>&1 && find_binary nbd-client > /dev/null 2>&1; then
        inst_multiple nbdkit nbd-client
        for plugin in /usr/lib64/nbdkit/plugins/nbdkit-curl-plugin.so /usr/lib/*/nbdkit/plugins/nbdkit-curl-plugin.so; do
            [ -e "$plugin" ] && inst "$plugin"
        done
    fi
    inst_simple "$moddir/confluent" /scripts/confluent
    inst_simple "$moddir/confluent-functions" /scripts/confluent-functions
    inst_hook cmdline 90 "$moddir/parse-confluent.sh"
    inst_script "$moddir/confluentroot.sh" /sbin/confluentroot
    dracut_need_initqueue
}
