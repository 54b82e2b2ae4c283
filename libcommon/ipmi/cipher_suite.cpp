#include "ipmi/cipher_suite.h"

namespace confluent::ipmi {

const std::vector<CipherSuite>& preferred_cipher_suites() {
  // Algorithm numbers from IPMI 2.0 table 13-17..13-19: RAKP-HMAC-SHA1 1, RAKP-HMAC-SHA256 3;
  // HMAC-SHA1-96 1, HMAC-SHA256-128 4; AES-CBC-128 1.
  static const std::vector<CipherSuite> suites{
      {17, 0x03, 0x04, 0x01, Hash::Sha256, 16, 16},
      {3, 0x01, 0x01, 0x01, Hash::Sha1, 12, 12},
  };
  return suites;
}

const CipherSuite* find_cipher_suite(uint8_t authentication, uint8_t integrity, uint8_t confidentiality) {
  for (const auto& suite : preferred_cipher_suites()) {
    if (suite.authentication == authentication && suite.integrity == integrity &&
        suite.confidentiality == confidentiality) {
      return &suite;
    }
  }
  return nullptr;
}

}  // namespace confluent::ipmi
