#!/usr/bin/env bash
# Throughput of imgutil's image encryption and decryption (libcommon/imgutil/crypt_image.cpp
# built here with CMake's Release flags, -O3 -DNDEBUG, and a small driver) on one SIZE_MB
# plain image, next to its ceilings: OpenSSL's raw AES-128-XTS speed (openssl speed, 16 KiB
# blocks) and a plain copy (cp).
# Usage: tests/bench/imgutil_crypt_bench.sh     SIZE_MB=512 RUNS=3 (best of RUNS)
# The files live under $TMPDIR; TMPDIR=/dev/shm compares the CPU cost alone.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size_mb=${SIZE_MB:-512}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/driver.cpp" <<'EOF'
#include <chrono>
#include <cstdio>
#include <string>
#include "imgutil/crypt_image.h"
using namespace confluent::imgutil;
int main(int, char** argv) {
  CryptKey key = generate_crypt_key();
  std::string dir = argv[1];
  auto time = [](auto f) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  double enc = time([&] { encrypt_image(dir + "/plain", dir + "/crypted", key); });
  double dec = time([&] { decrypt_image(dir + "/crypted", dir + "/back", key); });
  std::printf("%.3f %.3f\n", enc, dec);
}
EOF
src=$here/libcommon
g++ -std=c++20 -O3 -DNDEBUG -I"$src" "$work/driver.cpp" "$src/imgutil/crypt_image.cpp" "$src/imgutil/image_format.cpp" \
  "$src/base/files.cpp" "$src/base/strings.cpp" "$src/base/error.cpp" -lcrypto -o "$work/driver"

# A plain image: a squashfs magic, then random data (incompressible, like xz output).
{ printf 'hsqs'; head -c $((size_mb * 1048576 - 4)) /dev/urandom; } > "$work/plain"
best_enc="" best_dec="" best_cp=""
for _ in $(seq 1 "$runs"); do
  read -r enc dec < <("$work/driver" "$work")
  cmp -s "$work/plain" "$work/back" || { echo "$0: round trip differs" >&2; exit 1; }
  start=$(date +%s%N); cp "$work/plain" "$work/copy"; end=$(date +%s%N)
  cp_s=$(awk -v n=$((end - start)) 'BEGIN { print n / 1e9 }')
  best_enc=$(awk -v a="$enc" -v b="${best_enc:-1e9}" 'BEGIN { print (a < b) ? a : b }')
  best_dec=$(awk -v a="$dec" -v b="${best_dec:-1e9}" 'BEGIN { print (a < b) ? a : b }')
  best_cp=$(awk -v a="$cp_s" -v b="${best_cp:-1e9}" 'BEGIN { print (a < b) ? a : b }')
  rm -f "$work/crypted" "$work/back" "$work/copy"
done
mbps() { awk -v s="$1" -v m="$size_mb" 'BEGIN { printf "%.0f MB/s (%.2f s)", m * 1.048576 / s, s }'; }
echo "encrypt_image  $size_mb MiB: $(mbps "$best_enc")"
echo "decrypt_image  $size_mb MiB: $(mbps "$best_dec")"
echo "cp             $size_mb MiB: $(mbps "$best_cp")"
openssl speed -evp aes-128-xts -bytes 16384 -seconds 2 2>/dev/null | awk '/^AES-128-XTS|^aes-128-xts/ {
  v = $NF; sub(/k$/, "", v); printf "openssl speed aes-128-xts (16 KiB blocks): %.0f MB/s\n", v / 1000 }'
