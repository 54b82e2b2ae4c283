#pragma once
// The RMCP+ cipher suites this client accepts: 17 (RAKP-HMAC-SHA256, HMAC-SHA256-128,
// AES-CBC-128), then 3 (RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128). Every accepted suite
// authenticates, checks integrity and encrypts; suite 0 and its kin do not exist here.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ipmi/crypto.h"

namespace confluent::ipmi {

struct CipherSuite {
  uint8_t id;
  uint8_t authentication;       // RAKP algorithm number in Open Session
  uint8_t integrity;            // integrity algorithm number
  uint8_t confidentiality;      // confidentiality algorithm number
  Hash hash;                    // for RAKP codes, SIK, K1, K2 and the AuthCode
  size_t integrity_check_size;  // RAKP 4 integrity check value (12 or 16 bytes)
  size_t auth_code_size;        // AuthCode of session packets (12 or 16 bytes)

  size_t key_exchange_code_size() const { return digest_size(hash); }
};

// Suites to propose, best first.
const std::vector<CipherSuite>& preferred_cipher_suites();
// The accepted suite with exactly these algorithms, or nullptr (for suite 0 and the like).
const CipherSuite* find_cipher_suite(uint8_t authentication, uint8_t integrity, uint8_t confidentiality);

}  // namespace confluent::ipmi
