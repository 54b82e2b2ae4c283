#include "attrdb/secrets.h"

#include <crypt.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "base/error.h"

namespace confluent::attrdb {

namespace {

constexpr unsigned char kVersion = 0x02;
constexpr size_t kKeyBytes = 32, kIvBytes = 12, kTagBytes = 16;

Error store_error(const std::string& message) { return Error(ErrorKind::Store, message); }

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw store_error("cannot get random bytes");
  }
  return out;
}

std::string hex_upper(const std::string& bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

void write_new_key(const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  std::string key = random_bytes(kKeyBytes);
  std::string tmp = file.string() + ".tmp." + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw store_error("cannot create master key '" + file.string() + "': " + std::strerror(errno));
  bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  OPENSSL_cleanse(key.data(), key.size());
  // link() fails if another process created the key first; theirs wins and both read it.
  if (!ok || (::link(tmp.c_str(), file.c_str()) != 0 && errno != EEXIST)) {
    ::unlink(tmp.c_str());
    throw store_error("cannot create master key '" + file.string() + "': " + std::strerror(errno));
  }
  ::unlink(tmp.c_str());
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* u(const char* p) { return reinterpret_cast<const unsigned char*>(p); }

}  // namespace

SecretBox::SecretBox(const std::filesystem::path& key_file, bool create) {
  if (create && !std::filesystem::exists(key_file)) write_new_key(key_file);
  std::ifstream in(key_file, std::ios::binary);
  if (!in) throw store_error("cannot read master key '" + key_file.string() + "'");
  key_.assign(std::istreambuf_iterator<char>(in), {});
  if (key_.size() != kKeyBytes) throw store_error("master key '" + key_file.string() + "' is corrupt");
}

SecretBox::~SecretBox() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::string SecretBox::seal(std::string_view plaintext, std::string_view context) const {
  std::string iv = random_bytes(kIvBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(1 + kIvBytes + plaintext.size() + kTagBytes, '\0');
  out[0] = static_cast<char>(kVersion);
  std::memcpy(out.data() + 1, iv.data(), kIvBytes);
  auto* dst = reinterpret_cast<unsigned char*>(out.data() + 1 + kIvBytes);
  int len = 0;
  bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u(key_.data()), u(iv.data())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, u(context.data()), static_cast<int>(context.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), dst, &len, u(plaintext.data()), static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), dst + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, dst + plaintext.size()) == 1;
  if (!ok) throw store_error("cannot encrypt secret");
  return out;
}

std::string SecretBox::unseal(std::string_view sealed, std::string_view context) const {
  if (sealed.size() < 1 + kIvBytes + kTagBytes || static_cast<unsigned char>(sealed[0]) != kVersion) {
    throw store_error("sealed secret is corrupt");
  }
  size_t n = sealed.size() - 1 - kIvBytes - kTagBytes;
  const char* iv = sealed.data() + 1;
  const char* ct = iv + kIvBytes;
  std::string tag(ct + n, kTagBytes);
  std::string out(n, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u(key_.data()), u(iv)) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, u(context.data()), static_cast<int>(context.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), dst, &len, u(ct), static_cast<int>(n)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), dst + len, &len) == 1;
  if (!ok) throw store_error("sealed secret does not match the master key");
  return out;
}

std::string sha512_crypt(std::string_view password) {
  static const char* alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string raw = random_bytes(12), salt = "$6$";
  for (size_t i = 0; i < raw.size(); i += 3) {  // 12 bytes -> 16 characters, as base64 would
    unsigned v = (static_cast<unsigned char>(raw[i]) << 16) | (static_cast<unsigned char>(raw[i + 1]) << 8) |
                 static_cast<unsigned char>(raw[i + 2]);
    for (int k = 18; k >= 0; k -= 6) salt += alphabet[(v >> k) & 63];
  }
  struct crypt_data data;
  std::memset(&data, 0, sizeof data);
  std::string pw(password);
  const char* out = crypt_r(pw.c_str(), salt.c_str(), &data);
  OPENSSL_cleanse(pw.data(), pw.size());
  if (out == nullptr || out[0] == '*') throw store_error("cannot hash password");
  return out;
}

bool verify_sha512_crypt(std::string_view password, std::string_view hash) {
  struct crypt_data data;
  std::memset(&data, 0, sizeof data);
  std::string pw(password), h(hash);
  const char* out = crypt_r(pw.c_str(), h.c_str(), &data);
  return out != nullptr && h == out;
}

std::string grub_pbkdf2(std::string_view password) {
  constexpr int kIterations = 10000;
  std::string salt = random_bytes(64), hash(64, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        kIterations, EVP_sha512(), static_cast<int>(hash.size()),
                        reinterpret_cast<unsigned char*>(hash.data())) != 1) {
    throw store_error("cannot hash password");
  }
  return "grub.pbkdf2.sha512." + std::to_string(kIterations) + "." + hex_upper(salt) + "." + hex_upper(hash);
}

}  // namespace confluent::attrdb
