#include "ipmi/packet.h"

#include "ipmi/crypto.h"

namespace confluent::ipmi {

namespace {

constexpr uint8_t kRmcpHeader[4] = {0x06, 0x00, 0xff, 0x07};  // version 1.0, no ACK, class IPMI
constexpr size_t kRmcpSize = 4;
constexpr size_t kPlusHeaderSize = 12;  // auth type, payload type, session id, sequence, length
constexpr uint8_t kAuthTypeRmcpPlus = 0x06;
constexpr uint8_t kEncryptedBit = 0x80;
constexpr uint8_t kAuthenticatedBit = 0x40;
constexpr uint8_t kNextHeader = 0x07;
constexpr size_t kMaxConfidentialityPad = 15;

Bytes rmcp_header() { return Bytes(kRmcpHeader, kRmcpHeader + kRmcpSize); }

// AES-CBC-128 payload: IV, then the encrypted payload followed by pad bytes 1, 2, ... N and
// the pad length N, so that the whole is a multiple of the block size.
Bytes encrypt_payload(const Bytes& payload, const Protection& keys, const Bytes& iv_in) {
  Bytes iv = iv_in.empty() ? random_bytes(kAesBlock) : iv_in;
  Bytes plain = payload;
  size_t pad = (kAesBlock - (payload.size() + 1) % kAesBlock) % kAesBlock;
  for (size_t i = 1; i <= pad; ++i) plain.push_back(static_cast<uint8_t>(i));
  plain.push_back(static_cast<uint8_t>(pad));
  Bytes out = iv;
  append(out, aes_cbc_128_encrypt(keys.k2, iv.data(), plain.data(), plain.size()));
  return out;
}

Bytes decrypt_payload(const uint8_t* data, size_t size, const Protection& keys) {
  if (size < 2 * kAesBlock || size % kAesBlock != 0) throw DecodeError("encrypted payload of a bad size");
  Bytes plain = aes_cbc_128_decrypt(keys.k2, data, data + kAesBlock, size - kAesBlock);
  size_t pad = plain.back();
  if (pad > kMaxConfidentialityPad || pad + 1 > plain.size()) throw DecodeError("bad confidentiality pad length");
  size_t body = plain.size() - 1 - pad;
  for (size_t i = 0; i < pad; ++i) {
    if (plain[body + i] != i + 1) throw DecodeError("bad confidentiality pad");
  }
  plain.resize(body);
  return plain;
}

Bytes auth_code(const Protection& keys, const uint8_t* data, size_t size) {
  Bytes code = hmac(keys.suite->hash, keys.k1, data, size);
  code.resize(keys.suite->auth_code_size);
  return code;
}

// Integrity pad (0xff up to a multiple of 4 from the auth type on), pad length, next
// header, then the AuthCode over everything from the auth type to the next header.
void append_integrity_trailer(Bytes& out, const Protection& keys) {
  size_t pad = (4 - (out.size() - kRmcpSize + 2) % 4) % 4;
  out.insert(out.end(), pad, 0xff);
  out.push_back(static_cast<uint8_t>(pad));
  out.push_back(kNextHeader);
  append(out, auth_code(keys, out.data() + kRmcpSize, out.size() - kRmcpSize));
}

void check_integrity_trailer(const uint8_t* data, size_t size, size_t payload_end, const Protection& keys) {
  size_t code_size = keys.suite->auth_code_size;
  need(size, payload_end + 2 + code_size, "rmcp+ session trailer");
  size_t next_header = size - code_size - 1;
  size_t pad = data[next_header - 1];
  if (data[next_header] != kNextHeader || payload_end + pad + 1 != next_header) {
    throw DecodeError("bad rmcp+ session trailer");
  }
  for (size_t i = payload_end; i < payload_end + pad; ++i) {
    if (data[i] != 0xff) throw DecodeError("bad integrity pad");
  }
  Bytes expected = auth_code(keys, data + kRmcpSize, next_header + 1 - kRmcpSize);
  if (!equal_secret(expected.data(), data + size - code_size, code_size)) throw DecodeError("bad AuthCode");
}

}  // namespace

Wrapper peek_wrapper(const uint8_t* data, size_t size) {
  need(size, kRmcpSize + 1, "rmcp packet");
  if (data[0] != kRmcpHeader[0] || data[3] != kRmcpHeader[3]) throw DecodeError("not an rmcp ipmi packet");
  uint8_t auth_type = data[kRmcpSize] & 0x0f;
  if (auth_type == kAuthTypeRmcpPlus) return Wrapper::RmcpPlus;
  if (auth_type <= 0x05) return Wrapper::Ipmi15;
  throw DecodeError("unknown authentication type");
}

Bytes encode_ipmi15(const Bytes& message) {
  Bytes out = rmcp_header();
  out.push_back(0x00);  // authentication type none
  put_u32(out, 0);      // session sequence
  put_u32(out, 0);      // session id
  out.push_back(static_cast<uint8_t>(message.size()));
  append(out, message);
  return out;
}

Bytes decode_ipmi15(const uint8_t* data, size_t size) {
  need(size, kRmcpSize + 10, "ipmi 1.5 packet");
  size_t offset = kRmcpSize + 9;
  if ((data[kRmcpSize] & 0x0f) != 0) offset += 16;  // AuthCode
  need(size, offset + 1, "ipmi 1.5 packet");
  size_t length = data[offset++];
  need(size, offset + length, "ipmi 1.5 packet");
  return Bytes(data + offset, data + offset + length);
}

Bytes encode_rmcpplus(const RmcpPlusPacket& packet, const Protection* protection, const Bytes& iv) {
  Bytes out = rmcp_header();
  out.push_back(kAuthTypeRmcpPlus);
  uint8_t type = static_cast<uint8_t>(packet.type);
  out.push_back(protection ? static_cast<uint8_t>(type | kEncryptedBit | kAuthenticatedBit) : type);
  put_u32(out, packet.session_id);
  put_u32(out, packet.sequence);
  Bytes body = protection ? encrypt_payload(packet.payload, *protection, iv) : packet.payload;
  put_u16(out, static_cast<uint16_t>(body.size()));
  append(out, body);
  if (protection) append_integrity_trailer(out, *protection);
  return out;
}

RmcpPlusPacket decode_rmcpplus(const uint8_t* data, size_t size, const Protection* protection) {
  need(size, kRmcpSize + kPlusHeaderSize, "rmcp+ packet");
  if (peek_wrapper(data, size) != Wrapper::RmcpPlus) throw DecodeError("not an rmcp+ packet");
  RmcpPlusPacket packet;
  uint8_t type = data[kRmcpSize + 1];
  packet.type = static_cast<PayloadType>(type & 0x3f);
  packet.encrypted = (type & kEncryptedBit) != 0;
  packet.authenticated = (type & kAuthenticatedBit) != 0;
  if ((type & 0x3f) == 0x02) throw DecodeError("OEM payloads are not supported");
  packet.session_id = get_u32(data + kRmcpSize + 2);
  packet.sequence = get_u32(data + kRmcpSize + 6);
  size_t length = get_u16(data + kRmcpSize + 10);
  size_t start = kRmcpSize + kPlusHeaderSize;
  need(size, start + length, "rmcp+ payload");
  if ((packet.authenticated || packet.encrypted) && (!protection || !protection->suite)) {
    throw DecodeError("protected packet outside a session");
  }
  if (packet.authenticated) check_integrity_trailer(data, size, start + length, *protection);
  if (packet.encrypted) {
    packet.payload = decrypt_payload(data + start, length, *protection);
  } else {
    packet.payload.assign(data + start, data + start + length);
  }
  return packet;
}

}  // namespace confluent::ipmi
