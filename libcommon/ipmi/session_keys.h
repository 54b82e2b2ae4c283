#pragma once
// RAKP key exchange codes and the session keys derived from them (IPMI 2.0 section 13.31
// and 13.32): the BMC proves it knows the user's key in RAKP 2, the console in RAKP 3,
// and both derive SIK, then K1 (integrity) and K2 (confidentiality) from it.
#include <cstdint>
#include <string>

#include "ipmi/bytes.h"
#include "ipmi/cipher_suite.h"

namespace confluent::ipmi {

// Everything both ends hash during the RAKP exchange.
struct RakpInputs {
  const CipherSuite* suite = nullptr;
  uint32_t console_session_id = 0;  // SIDm, chosen by us
  uint32_t bmc_session_id = 0;      // SIDc, chosen by the BMC
  Bytes console_random;             // Rm, 16 bytes
  Bytes bmc_random;                 // Rc, 16 bytes
  Bytes bmc_guid;                   // GUIDc, 16 bytes
  uint8_t role = 0;                 // the RAKP 1 privilege byte, name-only lookup bit included
  std::string user;
  Bytes user_key;  // Kuid: the password
  Bytes bmc_key;   // Kg: empty when the BMC has none, and then Kuid stands in for it
};

struct SessionKeys {
  Bytes sik;
  Bytes k1;  // integrity key
  Bytes k2;  // confidentiality key; AES-CBC-128 uses its first 16 bytes
};

// A password or BMC key as the 20-byte HMAC key IPMI 2.0 defines; throws Error(Invalid)
// when longer than 20 bytes. A BMC key written as 0x followed by 40 hex digits is decoded.
Bytes user_key_from_password(const std::string& password);
Bytes bmc_key_from_text(const std::string& kg);

Bytes rakp2_key_exchange_code(const RakpInputs& in);
Bytes rakp3_key_exchange_code(const RakpInputs& in);
SessionKeys derive_session_keys(const RakpInputs& in);
Bytes rakp4_integrity_check_value(const RakpInputs& in, const Bytes& sik);

}  // namespace confluent::ipmi
