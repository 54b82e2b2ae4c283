#pragma once
// Secrets at rest: AES-256-GCM under a master key file (mode 0600, created on first use),
// and the one-way hashes kept for crypted.* attributes.
#include <filesystem>
#include <string>
#include <string_view>

namespace confluent::attrdb {

class SecretBox {
 public:
  // Reads the key; creates it (mode 0600) when `create` and missing.
  // Throws confluent::Error(ErrorKind::Store).
  SecretBox(const std::filesystem::path& key_file, bool create);
  ~SecretBox();
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;

  // 0x02 | 12-byte IV | ciphertext | 16-byte tag; `context` is authenticated, not stored.
  std::string seal(std::string_view plaintext, std::string_view context) const;
  // Throws confluent::Error(ErrorKind::Store) when the data or the key do not match.
  std::string unseal(std::string_view sealed, std::string_view context) const;

 private:
  std::string key_;
};

// SHA-512 crypt ("$6$" + 16 salt characters from 12 random bytes).
std::string sha512_crypt(std::string_view password);
// grub.pbkdf2.sha512.10000.<SALT_HEX>.<HASH_HEX> with a 64-byte salt.
std::string grub_pbkdf2(std::string_view password);
bool verify_sha512_crypt(std::string_view password, std::string_view hash);

}  // namespace confluent::attrdb
