#!/usr/bin/env bash
# imgutil pack -u against mksquashfs itself, side by side on the same Debian 12 minbase tree
# with the same compressor: pack adds finding the kernel, copying it and the initrd, the
# profile files and osdeploy updateboot (boot.img) around the same mksquashfs run. Target:
# pack within 1.1x of mksquashfs.
# Usage: tests/bench/imgutil_pack_bench.sh [BIN_DIR]   (default: build/bin), as root
#        COMP=zstd (xz, gzip) RUNS=3 (best of RUNS, alternating the two)
#        TREE=/var/tmp/imgutil-bench/debian12: reused when it exists, else built there with
#        `imgutil build` (a minute or so, network) and kept for the next run.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/bin}
comp=${COMP:-zstd}
runs=${RUNS:-3}
tree=${TREE:-/var/tmp/imgutil-bench/debian12}
[ -x "$bin/imgutil" ] || { echo "$0: no $bin/imgutil (build first, or pass BIN_DIR)" >&2; exit 1; }
command -v mksquashfs >/dev/null || { echo "$0: mksquashfs is missing (squashfs-tools)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "$0: run as root (imgutil build, and a tree of root-owned files)" >&2; exit 1; }
export PATH="$bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CONFLUENT_ROOT=$work/root
mkdir -p "$CONFLUENT_ROOT"

if [ ! -f "$tree/etc/confluentimg.buildinfo" ]; then
  echo "== building $tree (imgutil build, Debian minbase + iproute2)"
  rm -rf "$tree"
  mkdir -p "$(dirname "$tree")"
  echo iproute2 >"$work/pkglist"
  imgutil build -y -p "$work/pkglist" "$tree" >/dev/null 2>&1 || { echo "$0: imgutil build failed" >&2; exit 1; }
  # A kernel-like file and an initrd for pack to find (the list has no kernel).
  bash "$here/tests/integration/imgutil/fake_kernel.sh" "$tree/boot/vmlinuz-6.1.0-99-amd64" 6.1.0-99-amd64
  head -c 100000 /dev/urandom >"$tree/boot/initrd.img-6.1.0-99-amd64"
fi
echo "== tree $tree: $(du -sm --apparent-size "$tree" | cut -f1) MB, $(find "$tree" | wc -l) entries; -comp $comp"
osdeploy initialize -t >/dev/null
lib=$CONFLUENT_ROOT/var/lib/confluent

# time_ms CMD...: wall time in milliseconds, output discarded; dirty pages are flushed
# first so neither side pays for the other's writeback.
time_ms() {
  sync
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
pack_once() { rm -rf "$lib/public/os/bench"; time_ms imgutil pack -u --compress "$comp" "$tree" bench; }
mksquashfs_once() { time_ms mksquashfs "$tree" "$work/plain.sfs" -comp "$comp" -noappend -quiet -no-progress; }

best_pack="" best_mksquashfs=""
for _ in $(seq 1 "$runs"); do
  t=$(pack_once)
  if [ -z "$best_pack" ] || [ "$t" -lt "$best_pack" ]; then best_pack=$t; fi
  t=$(mksquashfs_once)
  if [ -z "$best_mksquashfs" ] || [ "$t" -lt "$best_mksquashfs" ]; then best_mksquashfs=$t; fi
done
[ -f "$lib/public/os/bench/rootimg.sfs" ] || { echo "$0: imgutil pack failed" >&2; exit 1; }
sizes="$(stat -c %s "$lib/public/os/bench/rootimg.sfs") / $(stat -c %s "$work/plain.sfs") bytes"

echo "== squashfs of the tree (best of $runs)"
printf '   imgutil pack -u   %6d ms\n' "$best_pack"
printf '   mksquashfs        %6d ms\n' "$best_mksquashfs"
echo "   sizes             $sizes"
awk -v a="$best_pack" -v b="$best_mksquashfs" 'BEGIN { printf "   ratio             %6.2fx (target <= 1.10x)\n", (b > 0 ? a / b : 0) }'
