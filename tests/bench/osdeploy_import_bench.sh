#!/usr/bin/env bash
# osdeploy import against bsdtar -xf (libarchive-tools), side by side on one large ISO: the
# RHEL 9 marker layout of tests/integration/osdeploy/make_iso.sh plus SIZE_MB of random
# package files (FILES of them, 4 KiB to ~2x the mean, under BaseOS/Packages/<letter>/).
# `osdeploy import` identifies the media (a listing pass), extracts it and creates the
# stock profiles; bsdtar only extracts. Target: import within 1.2x of bsdtar.
# Usage: tests/bench/osdeploy_import_bench.sh [BIN_DIR]   (default: build/bin)
#        SIZE_MB=400 FILES=2000 RUNS=3 (best of RUNS, alternating the two)
# Everything lives under $TMPDIR: on a shared or virtual disk, writeback makes single runs
# vary by 2-5x, so raise RUNS, or set TMPDIR=/dev/shm to compare the CPU cost alone.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/bin}
size_mb=${SIZE_MB:-400}
files=${FILES:-2000}
runs=${RUNS:-3}
[ -x "$bin/osdeploy" ] || { echo "$0: no $bin/osdeploy (build first, or pass BIN_DIR)" >&2; exit 1; }
for tool in xorriso bsdtar; do command -v $tool >/dev/null || { echo "$0: $tool is missing" >&2; exit 1; }; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CONFLUENT_ROOT=$work/root
mkdir -p "$CONFLUENT_ROOT"

echo "== building a ${size_mb} MB ISO of $files files"
start=$(date +%s%N)
bash "$here/tests/integration/osdeploy/make_iso.sh" rhel9 "$work/markers.iso"
mkdir "$work/tree"
bsdtar -xf "$work/markers.iso" -C "$work/tree"
# Sizes from a fixed seed, so every run of the bench builds the same shape of tree.
awk -v n="$files" -v total=$((size_mb * 1024 * 1024)) 'BEGIN {
  srand(1); mean = total / n
  for (i = 0; i < n; i++) {
    s = int(mean * (0.05 + 1.9 * rand())); if (s < 4096) s = 4096
    printf "%c %d pkg%05d-1.0-1.el9.x86_64.rpm\n", 97 + i % 26, s, i
  }
}' | while read -r letter bytes name; do
  mkdir -p "$work/tree/BaseOS/Packages/$letter"
  head -c "$bytes" /dev/urandom >"$work/tree/BaseOS/Packages/$letter/$name"
done
xorriso -as mkisofs -quiet -R -J -V RHEL-9-4-0-BaseOS-x86_64 -o "$work/big.iso" "$work/tree" 2>/dev/null
rm -rf "$work/tree" "$work/markers.iso"
end=$(date +%s%N)
echo "   $(du -m "$work/big.iso" | cut -f1) MB in $(( (end - start) / 1000000 )) ms"

"$bin/osdeploy" initialize -r >/dev/null
lib=$CONFLUENT_ROOT/var/lib/confluent

# time_ms CMD...: wall time in milliseconds, output discarded; dirty pages are flushed
# first so neither side pays for the other's writeback.
time_ms() {
  sync
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
import_once() { rm -rf "$lib/distributions" "$lib/public/os"; time_ms "$bin/osdeploy" import "$work/big.iso"; }
bsdtar_once() { rm -rf "$work/x"; mkdir "$work/x"; time_ms bsdtar -xf "$work/big.iso" -C "$work/x"; }

best_import="" best_bsdtar=""
for _ in $(seq 1 "$runs"); do
  t=$(import_once)
  if [ -z "$best_import" ] || [ "$t" -lt "$best_import" ]; then best_import=$t; fi
  t=$(bsdtar_once)
  if [ -z "$best_bsdtar" ] || [ "$t" -lt "$best_bsdtar" ]; then best_bsdtar=$t; fi
done
# The two trees must match, TRANS.TBL aside (import skips it) and distinfo.yaml (ours).
dist=$(ls -d "$lib"/distributions/*/)
if ! diff -r -x TRANS.TBL -x distinfo.yaml "$work/x" "$dist" >/dev/null; then echo "warning: the extracted trees differ"; fi

echo "== extraction of $(du -m "$work/big.iso" | cut -f1) MB (best of $runs)"
printf '   osdeploy import   %6d ms\n' "$best_import"
printf '   bsdtar -xf        %6d ms\n' "$best_bsdtar"
awk -v a="$best_import" -v b="$best_bsdtar" 'BEGIN { printf "   ratio             %6.2fx (target <= 1.20x)\n", (b > 0 ? a / b : 0) }'
