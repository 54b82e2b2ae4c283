#pragma once
// The few cryptographic primitives RMCP+ needs, on OpenSSL: HMAC, AES-CBC-128 without
// padding (IPMI pads by itself), random bytes and a constant-time comparison.
#include <cstddef>
#include <cstdint>

#include "ipmi/bytes.h"

namespace confluent::ipmi {

enum class Hash { Sha1, Sha256 };

size_t digest_size(Hash hash);
Bytes hmac(Hash hash, const Bytes& key, const uint8_t* data, size_t size);
inline Bytes hmac(Hash hash, const Bytes& key, const Bytes& data) { return hmac(hash, key, data.data(), data.size()); }

constexpr size_t kAesBlock = 16;
// `data` must be a whole number of blocks; `key` at least 16 bytes (only the first 16 count).
Bytes aes_cbc_128_encrypt(const Bytes& key, const uint8_t* iv, const uint8_t* data, size_t size);
Bytes aes_cbc_128_decrypt(const Bytes& key, const uint8_t* iv, const uint8_t* data, size_t size);

Bytes random_bytes(size_t count);
uint32_t random_u32();

// True when the first `size` bytes of both are equal, in time independent of the contents.
bool equal_secret(const uint8_t* a, const uint8_t* b, size_t size);

}  // namespace confluent::ipmi
