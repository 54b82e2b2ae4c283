#pragma once
// The messages that open an RMCP+ session (IPMI 2.0 section 13.17-13.23): Get Channel
// Authentication Capabilities, Open Session Request/Response and RAKP messages 1 to 4.
#include <cstdint>
#include <string>

#include "ipmi/bytes.h"
#include "ipmi/cipher_suite.h"

namespace confluent::ipmi {

constexpr uint8_t kNetFnApp = 0x06;
constexpr uint8_t kCmdGetChannelAuthCapabilities = 0x38;
constexpr uint8_t kCmdSetSessionPrivilege = 0x3b;
constexpr uint8_t kCmdCloseSession = 0x3c;
constexpr uint8_t kNameOnlyLookup = 0x10;  // RAKP 1 role bit: look the user up by name alone

// Request data for Get Channel Authentication Capabilities on this channel, asking for the
// IPMI 2.0 extended answer.
Bytes channel_auth_capabilities_request(uint8_t privilege);

struct ChannelAuthCapabilities {
  uint8_t channel = 0;
  bool ipmi20 = false;       // the channel speaks RMCP+
  bool kg_required = false;  // the BMC key is not all zeros
};
ChannelAuthCapabilities decode_channel_auth_capabilities(const Bytes& data);

struct OpenSessionRequest {
  uint8_t tag = 0;
  uint8_t privilege = 0;
  uint32_t console_session_id = 0;
  const CipherSuite* suite = nullptr;
};
Bytes encode_open_session_request(const OpenSessionRequest& request);

struct OpenSessionResponse {
  uint8_t tag = 0;
  uint8_t status = 0;  // RMCP+ status code, 0 when the BMC accepted
  uint8_t privilege = 0;
  uint32_t console_session_id = 0;
  uint32_t bmc_session_id = 0;
  uint8_t authentication = 0, integrity = 0, confidentiality = 0;
};
OpenSessionResponse decode_open_session_response(const Bytes& payload);

struct Rakp1 {
  uint8_t tag = 0;
  uint32_t bmc_session_id = 0;
  Bytes console_random;
  uint8_t role = 0;
  std::string user;
};
Bytes encode_rakp1(const Rakp1& message);

struct Rakp2 {
  uint8_t tag = 0;
  uint8_t status = 0;
  uint32_t console_session_id = 0;
  Bytes bmc_random;
  Bytes bmc_guid;
  Bytes key_exchange_code;
};
// `code_size` is the cipher suite's key exchange code size; error answers may stop early.
Rakp2 decode_rakp2(const Bytes& payload, size_t code_size);

struct Rakp3 {
  uint8_t tag = 0;
  uint8_t status = 0;
  uint32_t bmc_session_id = 0;
  Bytes key_exchange_code;
};
Bytes encode_rakp3(const Rakp3& message);

struct Rakp4 {
  uint8_t tag = 0;
  uint8_t status = 0;
  uint32_t console_session_id = 0;
  Bytes integrity_check;
};
Rakp4 decode_rakp4(const Bytes& payload, size_t check_size);

}  // namespace confluent::ipmi
