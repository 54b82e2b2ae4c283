#pragma once
// The IPMI message inside a LAN packet (IPMI 2.0 section 13.8): the BMC at slave address
// 0x20 LUN 0, the remote console as software ID 0x81, a 6-bit request sequence, and two
// two's-complement checksums.
#include <cstddef>
#include <cstdint>

#include "ipmi/bytes.h"

namespace confluent::ipmi {

constexpr uint8_t kBmcAddress = 0x20;
constexpr uint8_t kConsoleAddress = 0x81;

struct LanRequest {
  uint8_t netfn = 0;
  uint8_t cmd = 0;
  uint8_t seq = 0;  // 0..63
  Bytes data;
};

struct LanResponse {
  uint8_t netfn = 0;  // the response netfn: request netfn + 1
  uint8_t cmd = 0;
  uint8_t seq = 0;
  uint8_t completion_code = 0;
  Bytes data;
};

// The byte that makes the sum of `data` and itself zero modulo 256.
uint8_t ipmi_checksum(const uint8_t* data, size_t size);

Bytes encode_lan_request(const LanRequest& request);
// Throws DecodeError on a short message, bad checksums or addresses that are not ours.
LanResponse decode_lan_response(const Bytes& message);

}  // namespace confluent::ipmi
