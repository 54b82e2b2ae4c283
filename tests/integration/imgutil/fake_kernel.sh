#!/usr/bin/env bash
# Writes a kernel-like file for imgutil pack to find, as an x86 bzImage starts: the boot
# sector signature 55 aa, "HdrS" at 0x202, and at 0x20E the u16 that points (+0x200) at
# "<version> (builder) #1 SMP". The rest is random.
#   fake_kernel.sh FILE VERSION
set -euo pipefail
file=${1:?usage: fake_kernel.sh FILE VERSION}
version=${2:?usage: fake_kernel.sh FILE VERSION}
head -c 16384 /dev/urandom >"$file"
put() { printf "$2" | dd of="$file" bs=1 seek=$(($1)) conv=notrunc status=none; }
put 0x1fe '\x55\xaa'
put 0x202 'HdrS'
put 0x20e '\xc0\x03'
put 0x5c0 "$version (test@imgutil) #1 SMP\\0"
