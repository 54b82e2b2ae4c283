// The confluent_crypted format: keys and key files, dm-crypt aes-xts-plain64 compatibility
// (known answers, and an XTS built here from AES-ECB), streaming round trips, and damaged
// or truncated images that must fail with a clear error.
#include "imgutil/crypt_image.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "base/error.h"
#include "base/strings.h"
#include "image_files.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

namespace {

std::string unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

std::string hex(const std::string& bytes) {
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string encrypt_sectors(const CryptKey& key, uint64_t first_sector, std::string data, bool encrypt = true) {
  SectorCipher cipher(key, encrypt);
  cipher.apply(first_sector, reinterpret_cast<unsigned char*>(data.data()), data.size());
  return data;
}

// XTS-AES by its IEEE 1619 definition, from single AES block encryptions: the tweak is
// E(K2, sector as 16 little-endian bytes), multiplied by x in GF(2^128) for each block.
std::string reference_xts(const CryptKey& key, uint64_t sector, const std::string& plain) {
  auto aes = [](const unsigned char* k, unsigned char* block) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    REQUIRE(EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, k, nullptr) == 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    REQUIRE(EVP_EncryptUpdate(ctx, block, &n, block, 16) == 1);
    EVP_CIPHER_CTX_free(ctx);
  };
  unsigned char tweak[16] = {};
  for (int i = 0; i < 8; ++i) tweak[i] = static_cast<unsigned char>(sector >> (8 * i));
  aes(key.bytes.data() + 16, tweak);
  std::string out = plain;
  for (size_t off = 0; off < out.size(); off += 16) {
    unsigned char block[16];
    for (int i = 0; i < 16; ++i) block[i] = static_cast<unsigned char>(out[off + i]) ^ tweak[i];
    aes(key.bytes.data(), block);
    for (int i = 0; i < 16; ++i) out[off + i] = static_cast<char>(block[i] ^ tweak[i]);
    int carry = 0;
    for (int i = 0; i < 16; ++i) {
      int next = tweak[i] >> 7;
      tweak[i] = static_cast<unsigned char>((tweak[i] << 1) | carry);
      carry = next;
    }
    if (carry) tweak[0] ^= 0x87;
  }
  return out;
}

// The known-answer inputs (tests/unit/imgutil/xts_kat.py derives the same ones).
CryptKey kat_key() {
  CryptKey key;
  for (size_t i = 0; i < 32; ++i) key.bytes[i] = static_cast<unsigned char>(i * 37 + 11);
  return key;
}
std::string kat_plain() {
  std::string plain = "hsqs";
  for (int i = 0; i < 508; ++i) plain += static_cast<char>((i * 7 + 3) & 0xff);
  return plain;
}

// A plain "image": a squashfs magic, then `sectors` sectors in all of seeded noise.
std::string plain_image(size_t sectors, uint32_t seed) {
  std::string data = random_bytes(sectors * kSectorSize, seed);
  if (!data.empty()) data.replace(0, 4, "hsqs");
  return data;
}

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("imgutil crypt key: generated keys are 32 random bytes whose halves differ", "[imgutil]") {
  CryptKey a = generate_crypt_key(), b = generate_crypt_key();
  CHECK(a.hex().size() == 64);
  CHECK(a.hex() != b.hex());
  CHECK(std::memcmp(a.bytes.data(), a.bytes.data() + 16, 16) != 0);
  CHECK(CryptKey::from_hex(a.hex()).bytes == a.bytes);
}

TEST_CASE("imgutil crypt key: hex of the wrong length, with non-hex characters or equal halves is refused",
          "[imgutil]") {
  CHECK_THROWS_WITH(CryptKey::from_hex("abcd"), "crypt key must be 64 hex characters, not 4");
  CHECK_THROWS_WITH(CryptKey::from_hex(std::string(63, 'a') + "g"), Catch::Contains("not hexadecimal"));
  CHECK_THROWS_WITH(CryptKey::from_hex(std::string(64, 'a')), Catch::Contains("halves are equal"));
  CHECK(CryptKey::from_hex(std::string(32, 'A') + std::string(32, 'b')).hex() ==
        std::string(32, 'a') + std::string(32, 'b'));
}

TEST_CASE("imgutil key file: two lines, cipher then hex key, mode 0600, read back", "[imgutil]") {
  TempDir dir;
  CryptKey key = generate_crypt_key();
  write_key_file(dir / "rootimg.key", key);
  CHECK(slurp(dir / "rootimg.key") == "aes-xts-plain64\n" + key.hex() + "\n");
  struct stat st {};
  REQUIRE(stat((dir / "rootimg.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(read_key_file(dir / "rootimg.key").bytes == key.bytes);
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);  // no temporary left

  put(dir / "crlf.key", "aes-xts-plain64\r\n" + key.hex() + "\r\n");
  CHECK(read_key_file(dir / "crlf.key").bytes == key.bytes);
  put(dir / "other.key", "aes-cbc-essiv:sha256\n" + key.hex() + "\n");
  CHECK_THROWS_WITH(read_key_file(dir / "other.key"), Catch::Contains("unsupported cipher 'aes-cbc-essiv:sha256'"));
  put(dir / "short.key", "aes-xts-plain64\n" + key.hex().substr(2) + "\n");
  CHECK_THROWS_WITH(read_key_file(dir / "short.key"), Catch::Contains("short.key: crypt key must be 64"));
  put(dir / "empty.key", "");
  CHECK_THROWS_WITH(read_key_file(dir / "empty.key"), Catch::Contains("unsupported cipher ''"));
  CHECK_THROWS_WITH(read_key_file(dir / "missing.key"), Catch::Contains("missing.key: cannot read"));
}

TEST_CASE("imgutil dm-crypt table: sectors after the 4 KiB header, the key, the 8-sector device offset", "[imgutil]") {
  CryptKey key = kat_key();
  CHECK(dm_crypt_table(1024 * 512, key, "/dev/loop3") ==
        "0 1024 crypt aes-xts-plain64 " + key.hex() + " 0 /dev/loop3 8");
}

TEST_CASE("imgutil sector cipher: IEEE 1619 vector 4 is dm-crypt's sector 0", "[imgutil]") {
  // XTS-AES-128, Key1 27182818..., Key2 31415926..., data unit 0, 512 bytes 00..ff twice.
  CryptKey key = CryptKey::from_hex("2718281828459045235360287471352631415926535897932384626433832795");
  std::string plain;
  for (int i = 0; i < 512; ++i) plain += static_cast<char>(i & 0xff);
  std::string cipher = hex(encrypt_sectors(key, 0, plain));
  CHECK(cipher.substr(0, 64) == "27a7479befa1d476489f308cd4cfa6e2a96e4bbe3208ff25287dd3819616e89c");
  CHECK(cipher.substr(cipher.size() - 64) == "eb4a427d1923ce3ff262735779a418f20a282df920147beabe421ee5319d0568");
  CHECK(encrypt_sectors(key, 0, unhex(cipher), false) == plain);
}

TEST_CASE("imgutil sector cipher: known answers for sectors 0, 1 and 0x123456789", "[imgutil]") {
  // Derived outside this code base (xts_kat.py: XTS written from AES-ECB, checked against
  // IEEE 1619 vectors 3 and 4), since dm-crypt is not available on the build machines.
  CryptKey key = kat_key();
  CHECK(key.hex() == "0b30557a9fc4e90e33587da2c7ec11365b80a5caef14395e83a8cdf2173c6186");
  std::string plain = kat_plain();
  CHECK(hex(encrypt_sectors(key, 0, plain)).substr(0, 64) ==
        "f16b96b73b8ea42c999c01fc391dbc7a308dfcd3172725ecbd05c1e65a73b1d8");
  CHECK(hex(encrypt_sectors(key, 1, plain)).substr(0, 64) ==
        "cf74f9fe0c3ca84b95595f3d0594fd2d25300d45a3de50a7b242bc3f6a384746");
  CHECK(hex(encrypt_sectors(key, 0x123456789, plain)) ==
        "0b15ec21722f684281f416757e2c67ac682f9fea6cd1496f7475cd8ffdfcffc460125e8af5c8f8e205385388e47211c0"
        "6e9c30ced46f672c46a1d290c500b8caf944d90ec8a129fa1b1c3187bca73f9283c6f63059d8af98b867ac4a3f5627f7"
        "374bff6b7e7b53850f9d269f1b93514e560246cb95672492de2aa75af587e939fad287afdba51b0134ac1dcdd70a51f1"
        "84df82cb3f833d41e7824149ff672ed8e7b0953ddecc7cb05d724c840ab49640a9dde18aae27d590bab4a81ca8c61d31"
        "70957cf0066b8c694dad8d0f082c0be57c805490eda4bf7ac62f6b1ba5e15803775135057197009d314401d225ce3617"
        "761f1c14c149f99e832e0a915ad5fd69a61aca1105f687688db2b8c169b4f9f39bc62107dbb21981b5e32fab2fa5a0c9"
        "bf26e571759f1a70ed63ff5cd6cf1365c860e568a4ab9aa0cf96ae75292a0faeef40cc196df03dc90d854432beddc47e"
        "71ec6952492f98c59b7635c3dffefc8208a575afcd5df05ae677b5e1e6dd8aff52ae53daf6f558698747bb3b5752eeb0"
        "4fa90fef6e8fb81d3cf6ba1712f377e5a92d980445a249366af00e2e4957c80502d89d6d02c92569a7d06626fb38364f"
        "bae276c0791de12a8d7e9f4849cb8b725ff9c0ca596a6b0a8a5fc9a8f629b339fff80ceeaf273d4de38094bce7c94222"
        "9e7b65b7f9a26cd5a4b204e2a632b2bea10e9b71fb2e8caecb08844d3480dafa");
}

TEST_CASE("imgutil sector cipher: each sector is XTS with the little-endian sector number as tweak", "[imgutil]") {
  CryptKey key = generate_crypt_key();
  std::string data = random_bytes(4 * kSectorSize, 7);
  for (uint64_t first : {uint64_t{0}, uint64_t{255}, uint64_t{0xfffffffe}, uint64_t{0x0123456789abcdef}}) {
    std::string out = encrypt_sectors(key, first, data);
    for (uint64_t s = 0; s < 4; ++s) {
      INFO("sector " << first + s);
      CHECK(out.substr(s * kSectorSize, kSectorSize) ==
            reference_xts(key, first + s, data.substr(s * kSectorSize, kSectorSize)));
    }
    CHECK(encrypt_sectors(key, first, out, false) == data);
  }
  std::string odd(100, 'x');
  CHECK_THROWS(encrypt_sectors(key, 0, odd));
}

TEST_CASE("imgutil encrypt and decrypt: a multi-MB image of an odd number of sectors comes back identical",
          "[imgutil]") {
  TempDir dir;
  // 9 MiB + 3 sectors: more than one 8 MiB buffer, so sector numbers continue across buffers.
  const size_t sectors = 9 * 2048 + 3;
  std::string plain = plain_image(sectors, 42);
  put(dir / "plain.sfs", plain);
  CryptKey key = generate_crypt_key();
  uint64_t last_done = 0, calls = 0;
  encrypt_image(dir / "plain.sfs", dir / "rootimg.sfs", key, [&](uint64_t done, uint64_t total) {
    CHECK(total == plain.size());
    CHECK(done > last_done);
    last_done = done;
    ++calls;
  });
  CHECK(last_done == plain.size());
  CHECK(calls == 2);
  std::string crypted = slurp(dir / "rootimg.sfs");
  REQUIRE(crypted.size() == plain.size() + 4096);
  CHECK(crypted.substr(0, 37) == std::string(kCryptedSignature));
  CHECK(crypted.substr(37, 4096 - 37) == std::string(4096 - 37, '\0'));
  // Spot checks against the reference, past the buffer boundary too (sector 16384 is at 8 MiB).
  for (uint64_t s : {uint64_t{0}, uint64_t{16383}, uint64_t{16384}, uint64_t{sectors - 1}}) {
    INFO("sector " << s);
    CHECK(crypted.substr(4096 + s * 512, 512) == reference_xts(key, s, plain.substr(s * 512, 512)));
  }
  CHECK(detect_image_format(dir / "rootimg.sfs") == ImageFormat::Crypted);
  CHECK(crypted_payload_size(dir / "rootimg.sfs") == plain.size());

  decrypt_image(dir / "rootimg.sfs", dir / "back.sfs", key);
  CHECK(slurp(dir / "back.sfs") == plain);
  struct stat st {};
  REQUIRE(stat((dir / "back.sfs").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("imgutil encrypt: a plain image that is not whole sectors is refused and nothing is written", "[imgutil]") {
  TempDir dir;
  put(dir / "plain.sfs", plain_image(4, 1) + "tail");
  CHECK_THROWS_WITH(encrypt_image(dir / "plain.sfs", dir / "out.sfs", generate_crypt_key()),
                    "Image is not correctly sized for encryption: " + (dir / "plain.sfs").string() +
                        " is 2052 bytes, not a multiple of 512");
  CHECK_FALSE(fs::exists(dir / "out.sfs"));
  CHECK_THROWS_WITH(encrypt_image(dir / "missing.sfs", dir / "out.sfs", generate_crypt_key()),
                    Catch::Contains("missing.sfs: cannot read"));
}

TEST_CASE("imgutil encrypt and decrypt: an empty plain image is a header only", "[imgutil]") {
  TempDir dir;
  put(dir / "empty", "");
  CryptKey key = generate_crypt_key();
  encrypt_image(dir / "empty", dir / "crypted", key);
  CHECK(fs::file_size(dir / "crypted") == 4096);
  decrypt_image(dir / "crypted", dir / "back", key);
  CHECK(fs::file_size(dir / "back") == 0);
}

TEST_CASE("imgutil decrypt: a wrong key is detected from the first sector and nothing is written", "[imgutil]") {
  TempDir dir;
  put(dir / "plain.sfs", plain_image(16, 3));
  encrypt_image(dir / "plain.sfs", dir / "rootimg.sfs", generate_crypt_key());
  CHECK_THROWS_WITH(decrypt_image(dir / "rootimg.sfs", dir / "out", generate_crypt_key()),
                    "wrong key or corrupt image: " + (dir / "rootimg.sfs").string());
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("imgutil decrypt: truncated, missized and foreign files fail with a clear error", "[imgutil]") {
  TempDir dir;
  CryptKey key = generate_crypt_key();
  put(dir / "plain.sfs", plain_image(8, 5));
  encrypt_image(dir / "plain.sfs", dir / "good", key);
  std::string good = slurp(dir / "good");
  auto decrypt = [&](const std::string& bytes) {
    put(dir / "bad", bytes);
    return error_of([&] { decrypt_image(dir / "bad", dir / "out", key); });
  };
  CHECK(decrypt(good.substr(0, 100)) == (dir / "bad").string() +
                                            ": truncated image (100 bytes, a crypted image "
                                            "header needs 4096)");
  CHECK(decrypt(good.substr(0, 4096 + 700)) ==
        "Image is not correctly sized for encryption: " + (dir / "bad").string() +
            " holds 700 bytes after its header, not whole sectors");
  std::string tag = good;
  tag[20] = 'X';
  CHECK(decrypt(tag) == (dir / "bad").string() + ": corrupt confluent_crypted header");
  std::string nonzero = good;
  nonzero[37] = 1;
  CHECK(decrypt(nonzero) == (dir / "bad").string() + ": corrupt confluent_crypted header");
  CHECK(decrypt(slurp(dir / "plain.sfs")) == (dir / "bad").string() + ": not an encrypted image (it is squashfs)");
  CHECK(decrypt("garbage that is no image at all") == "Unrecognized image format: " + (dir / "bad").string());
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("imgutil decrypt: random damage and truncation never crash, they decrypt or fail cleanly", "[imgutil]") {
  TempDir dir;
  CryptKey key = generate_crypt_key();
  put(dir / "plain.sfs", plain_image(8, 9));
  encrypt_image(dir / "plain.sfs", dir / "good", key);
  const std::string good = slurp(dir / "good");
  const std::string plain = slurp(dir / "plain.sfs");
  std::mt19937 rng(1234);
  int failed[3] = {}, decrypted = 0;
  for (int round = 0; round < 150; ++round) {
    std::string bad = good;
    const int kind = round % 3;  // 0: truncated, 1: header damaged, 2: first AES block damaged
    if (kind == 0) {
      bad.resize(rng() % good.size());
    } else {
      for (int n = 0; n < 1 + static_cast<int>(rng() % 4); ++n) {
        size_t at = kind == 1 ? rng() % 48 : 4096 + rng() % 16;
        bad[at] = static_cast<char>(bad[at] ^ (1 + rng() % 255));
      }
    }
    put(dir / "bad", bad);
    INFO("round " << round);
    try {
      decrypt_image(dir / "bad", dir / "out", key);
      ++decrypted;
      std::string out = slurp(dir / "out");
      CHECK(out.size() == bad.size() - 4096);
      // Damage past offset 37 of the header is padding; a cut on a sector boundary is a
      // shorter image: either way the payload decrypts as it was.
      if (kind != 2) CHECK(out == plain.substr(0, out.size()));
    } catch (const Error& e) {
      ++failed[kind];
      CHECK(std::string(e.what()).find((dir / "bad").string()) != std::string::npos);
    }
  }
  CHECK(failed[0] >= 45);  // a cut is rarely on a sector boundary
  CHECK(failed[1] >= 30);  // most header bytes damaged are the magic or tag
  CHECK(failed[2] == 50);  // any change garbles the whole block that holds the magic
  CHECK(failed[0] + failed[1] + failed[2] + decrypted == 150);
}

TEST_CASE("imgutil encrypt and decrypt: a real mksquashfs image round-trips byte for byte", "[imgutil]") {
  TempDir dir;
  fs::path sfs = make_squashfs(dir.path, "root", 11);
  REQUIRE(detect_image_format(sfs) == ImageFormat::Squashfs);
  CryptKey key = generate_crypt_key();
  write_key_file(dir / "rootimg.key", key);
  encrypt_image(sfs, dir / "rootimg.sfs", key);
  CHECK(detect_image_format(dir / "rootimg.sfs") == ImageFormat::Crypted);
  decrypt_image(dir / "rootimg.sfs", dir / "back.sfs", read_key_file(dir / "rootimg.key"));
  CHECK(slurp(dir / "back.sfs") == slurp(sfs));
}
