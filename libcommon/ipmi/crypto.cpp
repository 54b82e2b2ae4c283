#include "ipmi/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>

#include "base/error.h"

namespace confluent::ipmi {

namespace {

const EVP_MD* evp(Hash hash) { return hash == Hash::Sha1 ? EVP_sha1() : EVP_sha256(); }

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Bytes aes_cbc(bool encrypt, const Bytes& key, const uint8_t* iv, const uint8_t* data, size_t size) {
  if (key.size() < 16) throw Error(ErrorKind::Runtime, "aes-cbc-128: key shorter than 16 bytes");
  if (size % kAesBlock != 0) throw DecodeError("aes-cbc-128: data is not a whole number of blocks");
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv, encrypt ? 1 : 0) != 1) {
    throw Error(ErrorKind::Runtime, "aes-cbc-128: cannot set up the cipher");
  }
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  Bytes out(size + kAesBlock);
  int written = 0;
  int final_written = 0;
  if (EVP_CipherUpdate(ctx.get(), out.data(), &written, data, static_cast<int>(size)) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + written, &final_written) != 1) {
    throw Error(ErrorKind::Runtime, "aes-cbc-128: cipher failed");
  }
  out.resize(static_cast<size_t>(written) + static_cast<size_t>(final_written));
  return out;
}

}  // namespace

size_t digest_size(Hash hash) { return hash == Hash::Sha1 ? 20 : 32; }

Bytes hmac(Hash hash, const Bytes& key, const uint8_t* data, size_t size) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  static const uint8_t empty = 0;
  if (HMAC(evp(hash), key.empty() ? &empty : key.data(), static_cast<int>(key.size()), size ? data : &empty, size,
           out.data(), &length) == nullptr) {
    throw Error(ErrorKind::Runtime, "hmac failed");
  }
  out.resize(length);
  return out;
}

Bytes aes_cbc_128_encrypt(const Bytes& key, const uint8_t* iv, const uint8_t* data, size_t size) {
  return aes_cbc(true, key, iv, data, size);
}

Bytes aes_cbc_128_decrypt(const Bytes& key, const uint8_t* iv, const uint8_t* data, size_t size) {
  return aes_cbc(false, key, iv, data, size);
}

Bytes random_bytes(size_t count) {
  Bytes out(count);
  if (count && RAND_bytes(out.data(), static_cast<int>(count)) != 1) {
    throw Error(ErrorKind::Runtime, "no random bytes available");
  }
  return out;
}

uint32_t random_u32() {
  Bytes b = random_bytes(4);
  return get_u32(b.data());
}

bool equal_secret(const uint8_t* a, const uint8_t* b, size_t size) { return CRYPTO_memcmp(a, b, size) == 0; }

}  // namespace confluent::ipmi
