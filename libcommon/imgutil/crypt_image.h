#pragma once
// The confluent_crypted image: a 4 KiB header (image_format.h), then the plain image
// encrypted exactly as dm-crypt's "aes-xts-plain64" with 512-byte sectors does it, so that a
// node maps it with
//   dmsetup create x --table "0 <payload/512> crypt aes-xts-plain64 <hexkey> 0 <loopdev> 8"
// The key is 32 bytes, AES-128-XTS (first half the data key, second half the tweak key); the
// IV of sector n is n as a little-endian 64-bit number, zero-padded to 16 bytes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "imgutil/image_format.h"

struct evp_cipher_ctx_st;

namespace confluent::imgutil {

inline constexpr size_t kSectorSize = 512;
inline constexpr std::string_view kCipherName = "aes-xts-plain64";

struct CryptKey {
  std::array<unsigned char, 32> bytes{};

  // 64 lower-case hex characters, as in the key file and the dm-crypt table.
  std::string hex() const;
  // Throws Invalid when `hex` is not 64 hex characters or its halves are equal (OpenSSL
  // refuses such an XTS key).
  static CryptKey from_hex(std::string_view hex);
};

// 32 random bytes whose halves differ.
CryptKey generate_crypt_key();

// rootimg.key: "aes-xts-plain64\n<hexkey>\n", mode 0600, written atomically.
void write_key_file(const std::filesystem::path& file, const CryptKey& key);
// Throws Invalid "<file>: ..." for another cipher or a malformed key.
CryptKey read_key_file(const std::filesystem::path& file);

// The dm-crypt table line that maps a crypted image attached at `device`.
std::string dm_crypt_table(uint64_t payload_size, const CryptKey& key, std::string_view device);

// Encrypts the plain image `plain` into `crypted` (written through a temporary sibling, so
// an error leaves no partial image). Throws Invalid "Image is not correctly sized for
// encryption: ..." unless the plain size is a multiple of 512.
void encrypt_image(const std::filesystem::path& plain, const std::filesystem::path& crypted, const CryptKey& key,
                   const ImageProgress& progress = {});

// Decrypts `crypted` into `plain`. The header and sizes are checked first, and the first
// sector must decrypt to a squashfs or multisquash magic, else Invalid "wrong key or corrupt
// image: <file>".
void decrypt_image(const std::filesystem::path& crypted, const std::filesystem::path& plain, const CryptKey& key,
                   const ImageProgress& progress = {});

// The payload size of a crypted image after checking its header; throws Invalid naming the
// file when the header is wrong or the payload is not whole sectors.
uint64_t crypted_payload_size(const std::filesystem::path& crypted);

// dm-crypt's transform of whole sectors, in place; one context reused across calls.
class SectorCipher {
 public:
  SectorCipher(const CryptKey& key, bool encrypt);
  ~SectorCipher();
  SectorCipher(const SectorCipher&) = delete;
  SectorCipher& operator=(const SectorCipher&) = delete;

  // `size` must be a multiple of kSectorSize; `data` holds sectors first_sector onwards.
  void apply(uint64_t first_sector, unsigned char* data, size_t size);

 private:
  evp_cipher_ctx_st* ctx_;
};

}  // namespace confluent::imgutil
