#include "imgutil/crypt_image.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "base/error.h"
#include "base/files.h"
#include "base/strings.h"
#include "imgutil/image_format.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

// Big enough that per-call overhead vanishes, small enough for any build host.
constexpr size_t kBufferSize = size_t{8} << 20;
constexpr size_t kHalf = 16;

std::string openssl_error() {
  char text[256] = "unknown error";
  if (unsigned long code = ERR_get_error()) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool halves_equal(const CryptKey& key) { return std::memcmp(key.bytes.data(), key.bytes.data() + kHalf, kHalf) == 0; }

// Streams [0, total) of `in` from `in_offset` through `cipher` into `out`.
void transform(const InputFile& in, uint64_t in_offset, uint64_t total, SectorCipher& cipher, AtomicOutputFile& out,
               const ImageProgress& progress) {
  std::vector<unsigned char> buffer(static_cast<size_t>(std::min<uint64_t>(kBufferSize, total)));
  for (uint64_t done = 0; done < total;) {
    size_t chunk = static_cast<size_t>(std::min<uint64_t>(buffer.size(), total - done));
    in.read_exact_at(in_offset + done, buffer.data(), chunk);
    cipher.apply(done / kSectorSize, buffer.data(), chunk);
    out.write(buffer.data(), chunk);
    done += chunk;
    if (progress) progress(done, total);
  }
}

}  // namespace

std::string CryptKey::hex() const { return to_hex(bytes.data(), bytes.size()); }

CryptKey CryptKey::from_hex(std::string_view hex) {
  CryptKey key;
  if (hex.size() != key.bytes.size() * 2) {
    throw Error(ErrorKind::Invalid, "crypt key must be 64 hex characters, not " + std::to_string(hex.size()));
  }
  for (size_t i = 0; i < key.bytes.size(); ++i) {
    int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw Error(ErrorKind::Invalid, "crypt key has a character that is not hexadecimal");
    key.bytes[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  if (halves_equal(key)) throw Error(ErrorKind::Invalid, "crypt key halves are equal, which AES-XTS refuses");
  return key;
}

CryptKey generate_crypt_key() {
  CryptKey key;
  do {
    if (RAND_bytes(key.bytes.data(), static_cast<int>(key.bytes.size())) != 1) {
      throw Error(ErrorKind::Runtime, "cannot generate a crypt key: " + openssl_error());
    }
  } while (halves_equal(key));
  return key;
}

void write_key_file(const fs::path& file, const CryptKey& key) {
  write_file_atomic(file, std::string(kCipherName) + "\n" + key.hex() + "\n",
                    fs::perms::owner_read | fs::perms::owner_write);
}

CryptKey read_key_file(const fs::path& file) {
  auto lines = split(read_file(file), '\n');
  std::string_view cipher = lines.empty() ? std::string_view() : trim(lines[0]);
  if (cipher != kCipherName) {
    throw Error(ErrorKind::Invalid, file.string() + ": unsupported cipher '" + std::string(cipher) + "', expected '" +
                                        std::string(kCipherName) + "'");
  }
  try {
    return CryptKey::from_hex(lines.size() > 1 ? trim(lines[1]) : std::string_view());
  } catch (const Error& e) {
    throw Error(ErrorKind::Invalid, file.string() + ": " + e.what());
  }
}

std::string dm_crypt_table(uint64_t payload_size, const CryptKey& key, std::string_view device) {
  return "0 " + std::to_string(payload_size / kSectorSize) + " crypt " + std::string(kCipherName) + " " + key.hex() +
         " 0 " + std::string(device) + " " + std::to_string(kCryptHeaderSize / kSectorSize);
}

SectorCipher::SectorCipher(const CryptKey& key, bool encrypt) : ctx_(EVP_CIPHER_CTX_new()) {
  if (ctx_ == nullptr ||
      EVP_CipherInit_ex(ctx_, EVP_aes_128_xts(), nullptr, key.bytes.data(), nullptr, encrypt ? 1 : 0) != 1) {
    std::string why = openssl_error();
    EVP_CIPHER_CTX_free(ctx_);
    throw Error(ErrorKind::Runtime, "cannot set up AES-128-XTS: " + why);
  }
}

SectorCipher::~SectorCipher() { EVP_CIPHER_CTX_free(ctx_); }

void SectorCipher::apply(uint64_t first_sector, unsigned char* data, size_t size) {
  if (size % kSectorSize != 0) throw Error(ErrorKind::Runtime, "AES-XTS: not whole sectors");
  unsigned char iv[16] = {};
  for (size_t offset = 0; offset < size; offset += kSectorSize) {
    uint64_t sector = first_sector + offset / kSectorSize;
    for (size_t i = 0; i < 8; ++i) iv[i] = static_cast<unsigned char>(sector >> (8 * i));  // plain64
    int n = 0;
    if (EVP_CipherInit_ex(ctx_, nullptr, nullptr, nullptr, iv, -1) != 1 ||
        EVP_CipherUpdate(ctx_, data + offset, &n, data + offset, static_cast<int>(kSectorSize)) != 1 ||
        n != static_cast<int>(kSectorSize)) {
      throw Error(ErrorKind::Runtime, "AES-XTS failed at sector " + std::to_string(sector) + ": " + openssl_error());
    }
  }
}

void encrypt_image(const fs::path& plain, const fs::path& crypted, const CryptKey& key, const ImageProgress& progress) {
  InputFile in(plain);
  if (in.size() % kSectorSize != 0) {
    throw Error(ErrorKind::Invalid, "Image is not correctly sized for encryption: " + plain.string() + " is " +
                                        std::to_string(in.size()) + " bytes, not a multiple of 512");
  }
  SectorCipher cipher(key, true);
  AtomicOutputFile out(crypted, fs::perms(0644));
  std::string header(kCryptHeaderSize, '\0');
  header.replace(0, kCryptedSignature.size(), kCryptedSignature);
  out.write(header);
  transform(in, 0, in.size(), cipher, out, progress);
  out.commit();
}

uint64_t crypted_payload_size(const fs::path& crypted) {
  ImageFormat format = detect_image_format(crypted);
  if (format != ImageFormat::Crypted) {
    throw Error(ErrorKind::Invalid,
                crypted.string() + ": not an encrypted image (it is " + std::string(format_name(format)) + ")");
  }
  uint64_t payload = fs::file_size(crypted) - kCryptHeaderSize;
  if (payload % kSectorSize != 0) {
    throw Error(ErrorKind::Invalid, "Image is not correctly sized for encryption: " + crypted.string() + " holds " +
                                        std::to_string(payload) + " bytes after its header, not whole sectors");
  }
  return payload;
}

void decrypt_image(const fs::path& crypted, const fs::path& plain, const CryptKey& key, const ImageProgress& progress) {
  uint64_t payload = crypted_payload_size(crypted);
  InputFile in(crypted);
  if (in.size() != payload + kCryptHeaderSize)
    throw Error(ErrorKind::Runtime, crypted.string() + ": changed while read");
  SectorCipher cipher(key, false);
  if (payload > 0) {
    unsigned char first[kSectorSize];
    in.read_exact_at(kCryptHeaderSize, first, sizeof first);
    cipher.apply(0, first, sizeof first);
    if (!looks_like_plain_image(std::string_view(reinterpret_cast<const char*>(first), sizeof first))) {
      throw Error(ErrorKind::Invalid, "wrong key or corrupt image: " + crypted.string());
    }
  }
  AtomicOutputFile out(plain, fs::perms(0600));
  transform(in, kCryptHeaderSize, payload, cipher, out, progress);
  out.commit();
}

}  // namespace confluent::imgutil
