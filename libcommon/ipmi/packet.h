#pragma once
// Packets on UDP port 623: the RMCP header, the IPMI 1.5 session wrapper (used here only
// outside a session, for Get Channel Authentication Capabilities) and the RMCP+ session
// wrapper with its confidentiality (AES-CBC-128) and integrity (AuthCode) protection.
#include <cstddef>
#include <cstdint>

#include "ipmi/bytes.h"
#include "ipmi/cipher_suite.h"

namespace confluent::ipmi {

enum class PayloadType : uint8_t {
  Ipmi = 0x00,
  OpenSessionRequest = 0x10,
  OpenSessionResponse = 0x11,
  Rakp1 = 0x12,
  Rakp2 = 0x13,
  Rakp3 = 0x14,
  Rakp4 = 0x15,
};

// Keys of an established session. Packets under it are both encrypted and authenticated.
struct Protection {
  const CipherSuite* suite = nullptr;
  Bytes k1;  // integrity key
  Bytes k2;  // confidentiality key
};

struct RmcpPlusPacket {
  PayloadType type = PayloadType::Ipmi;
  bool encrypted = false;
  bool authenticated = false;
  uint32_t session_id = 0;
  uint32_t sequence = 0;
  Bytes payload;  // in clear
};

// Which wrapper an inbound datagram carries; throws DecodeError for anything else.
enum class Wrapper { Ipmi15, RmcpPlus };
Wrapper peek_wrapper(const uint8_t* data, size_t size);

// IPMI 1.5 session wrapper with authentication type none, session 0, sequence 0.
Bytes encode_ipmi15(const Bytes& message);
// The message inside an IPMI 1.5 datagram. Only session-less answers are expected, so an
// AuthCode, when present, is skipped rather than checked.
Bytes decode_ipmi15(const uint8_t* data, size_t size);

// Builds a datagram. With `protection`, the payload is encrypted and authenticated whatever
// the flags in `packet` say; without, it goes in clear (session setup only). `iv` is for
// tests: empty means 16 fresh random bytes.
Bytes encode_rmcpplus(const RmcpPlusPacket& packet, const Protection* protection, const Bytes& iv = {});
// Parses a datagram. An authenticated one has its AuthCode checked against `protection`
// (DecodeError when it does not match or no keys are known) and is decrypted.
RmcpPlusPacket decode_rmcpplus(const uint8_t* data, size_t size, const Protection* protection);

}  // namespace confluent::ipmi
