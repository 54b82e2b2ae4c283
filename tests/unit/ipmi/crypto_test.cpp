// Primitives against published vectors, and the suite 3 key schedule against HMACs computed
// here straight with OpenSSL, independently of session_keys.cpp.
#include "ipmi/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <catch2/catch.hpp>

#include "hex.h"
#include "ipmi/cipher_suite.h"
#include "ipmi/session_keys.h"

using namespace confluent::ipmi;
using ipmi_test::from_hex;
using ipmi_test::to_hex;

namespace {

Bytes openssl_hmac_sha1(const Bytes& key, const Bytes& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out, &length);
  return Bytes(out, out + length);
}

RakpInputs suite3_inputs() {
  RakpInputs in;
  in.suite = find_cipher_suite(1, 1, 1);
  in.console_session_id = 0xa0a1a2a3;
  in.bmc_session_id = 0x02000000;
  in.console_random = from_hex("000102030405060708090a0b0c0d0e0f");
  in.bmc_random = from_hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  in.bmc_guid = from_hex("a123456789abcdefa123456789abcdef");
  in.role = 0x14;
  in.user = "admin";
  in.user_key = user_key_from_password("secret");
  return in;
}

}  // namespace

TEST_CASE("ipmi crypto: HMAC-SHA1 and HMAC-SHA256 give the RFC 2202 and RFC 4231 answers", "[ipmi]") {
  Bytes key(20, 0x0b);
  Bytes data{'H', 'i', ' ', 'T', 'h', 'e', 'r', 'e'};
  CHECK(to_hex(hmac(Hash::Sha1, key, data)) == "b617318655057264e28bc0b6fb378c8ef146be00");
  CHECK(to_hex(hmac(Hash::Sha256, key, data)) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(digest_size(Hash::Sha1) == 20);
  CHECK(digest_size(Hash::Sha256) == 32);
}

TEST_CASE("ipmi crypto: AES-CBC-128 gives the NIST SP 800-38A answer and decrypts back", "[ipmi]") {
  Bytes key = from_hex("2b7e151628aed2a6abf7158809cf4f3c");
  Bytes iv = from_hex("000102030405060708090a0b0c0d0e0f");
  Bytes plain = from_hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
  Bytes cipher = aes_cbc_128_encrypt(key, iv.data(), plain.data(), plain.size());
  CHECK(to_hex(cipher) == "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2");
  CHECK(aes_cbc_128_decrypt(key, iv.data(), cipher.data(), cipher.size()) == plain);
  CHECK_THROWS_AS(aes_cbc_128_encrypt(key, iv.data(), plain.data(), 15), DecodeError);
}

TEST_CASE("ipmi crypto: random bytes differ between calls and compare in constant time", "[ipmi]") {
  Bytes a = random_bytes(16);
  Bytes b = random_bytes(16);
  CHECK(a.size() == 16);
  CHECK(a != b);
  CHECK(equal_secret(a.data(), a.data(), 16));
  CHECK_FALSE(equal_secret(a.data(), b.data(), 16));
}

TEST_CASE("ipmi cipher suites: only 17 and 3 are accepted, and never suite 0", "[ipmi]") {
  const auto& suites = preferred_cipher_suites();
  REQUIRE(suites.size() == 2);
  CHECK(suites[0].id == 17);
  CHECK(suites[1].id == 3);
  CHECK(find_cipher_suite(3, 4, 1)->id == 17);
  CHECK(find_cipher_suite(1, 1, 1)->id == 3);
  CHECK(find_cipher_suite(0, 0, 0) == nullptr);  // suite 0: no authentication at all
  CHECK(find_cipher_suite(1, 0, 0) == nullptr);  // suite 1: no integrity
  CHECK(find_cipher_suite(1, 1, 0) == nullptr);  // suite 2: no confidentiality
  CHECK(find_cipher_suite(3, 4, 0) == nullptr);  // suite 15
}

TEST_CASE("ipmi keys: suite 3 codes and keys equal HMAC-SHA1 computed straight with OpenSSL", "[ipmi]") {
  RakpInputs in = suite3_inputs();
  Bytes kuid = {'s', 'e', 'c', 'r', 'e', 't'};  // HMAC pads keys with zeros: same as the 20-byte form
  Bytes tail{0x14, 5, 'a', 'd', 'm', 'i', 'n'};

  Bytes rakp2 = from_hex("a3a2a1a000000002");
  rakp2.insert(rakp2.end(), in.console_random.begin(), in.console_random.end());
  rakp2.insert(rakp2.end(), in.bmc_random.begin(), in.bmc_random.end());
  rakp2.insert(rakp2.end(), in.bmc_guid.begin(), in.bmc_guid.end());
  rakp2.insert(rakp2.end(), tail.begin(), tail.end());
  CHECK(rakp2_key_exchange_code(in) == openssl_hmac_sha1(kuid, rakp2));

  Bytes rakp3 = in.bmc_random;
  for (uint8_t b : from_hex("a3a2a1a0")) rakp3.push_back(b);
  rakp3.insert(rakp3.end(), tail.begin(), tail.end());
  CHECK(rakp3_key_exchange_code(in) == openssl_hmac_sha1(kuid, rakp3));

  Bytes sik_data = in.console_random;
  sik_data.insert(sik_data.end(), in.bmc_random.begin(), in.bmc_random.end());
  sik_data.insert(sik_data.end(), tail.begin(), tail.end());
  SessionKeys keys = derive_session_keys(in);
  CHECK(keys.sik == openssl_hmac_sha1(kuid, sik_data));
  CHECK(keys.k1 == openssl_hmac_sha1(keys.sik, Bytes(20, 0x01)));
  CHECK(keys.k2 == openssl_hmac_sha1(keys.sik, Bytes(20, 0x02)));

  Bytes icv_data = in.console_random;
  for (uint8_t b : from_hex("00000002")) icv_data.push_back(b);
  icv_data.insert(icv_data.end(), in.bmc_guid.begin(), in.bmc_guid.end());
  Bytes icv = openssl_hmac_sha1(keys.sik, icv_data);
  icv.resize(12);
  CHECK(rakp4_integrity_check_value(in, keys.sik) == icv);
}

TEST_CASE("ipmi keys: a BMC key replaces the password for SIK only", "[ipmi]") {
  RakpInputs in = suite3_inputs();
  SessionKeys without = derive_session_keys(in);
  in.bmc_key = bmc_key_from_text("0x" + std::string(40, 'a'));
  SessionKeys with = derive_session_keys(in);
  CHECK(with.sik != without.sik);
  CHECK(in.bmc_key == Bytes(20, 0xaa));
  Bytes sik_data = in.console_random;
  sik_data.insert(sik_data.end(), in.bmc_random.begin(), in.bmc_random.end());
  for (uint8_t b : Bytes{0x14, 5, 'a', 'd', 'm', 'i', 'n'}) sik_data.push_back(b);
  CHECK(with.sik == openssl_hmac_sha1(Bytes(20, 0xaa), sik_data));
  CHECK(rakp2_key_exchange_code(in) == rakp2_key_exchange_code(suite3_inputs()));  // still the password
  CHECK(bmc_key_from_text("plainkey") ==
        Bytes{'p', 'l', 'a', 'i', 'n', 'k', 'e', 'y', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(bmc_key_from_text("").empty());
}

TEST_CASE("ipmi keys: passwords over 20 bytes are refused", "[ipmi]") {
  CHECK(user_key_from_password("").size() == 20);
  CHECK(user_key_from_password(std::string(20, 'x')).size() == 20);
  CHECK_THROWS_WITH(user_key_from_password(std::string(21, 'x')), Catch::Contains("longer than 20 bytes"));
}
