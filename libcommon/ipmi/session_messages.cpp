#include "ipmi/session_messages.h"

namespace confluent::ipmi {

namespace {

constexpr size_t kRandomSize = 16;
constexpr size_t kGuidSize = 16;
constexpr size_t kMaxUserName = 16;

// One algorithm record of the Open Session Request: type, 2 reserved, length 8, algorithm,
// 3 reserved.
void put_algorithm(Bytes& out, uint8_t type, uint8_t algorithm) {
  const uint8_t record[8] = {type, 0, 0, 8, algorithm, 0, 0, 0};
  out.insert(out.end(), record, record + 8);
}

Bytes slice(const Bytes& data, size_t offset, size_t size) {
  return Bytes(data.begin() + static_cast<ptrdiff_t>(offset), data.begin() + static_cast<ptrdiff_t>(offset + size));
}

}  // namespace

Bytes channel_auth_capabilities_request(uint8_t privilege) {
  // 0x80: ask for IPMI 2.0 extended data; 0x0e: the channel this request arrives on.
  return {0x8e, privilege};
}

ChannelAuthCapabilities decode_channel_auth_capabilities(const Bytes& data) {
  need(data.size(), 8, "get channel authentication capabilities");
  ChannelAuthCapabilities caps;
  caps.channel = data[0];
  caps.ipmi20 = (data[1] & 0x80) != 0 && (data[3] & 0x02) != 0;
  caps.kg_required = (data[2] & 0x20) != 0;
  return caps;
}

Bytes encode_open_session_request(const OpenSessionRequest& request) {
  Bytes out{request.tag, request.privilege, 0, 0};
  put_u32(out, request.console_session_id);
  put_algorithm(out, 0x00, request.suite->authentication);
  put_algorithm(out, 0x01, request.suite->integrity);
  put_algorithm(out, 0x02, request.suite->confidentiality);
  return out;
}

OpenSessionResponse decode_open_session_response(const Bytes& payload) {
  need(payload.size(), 2, "open session response");
  OpenSessionResponse r;
  r.tag = payload[0];
  r.status = payload[1];
  if (r.status != 0) return r;  // an error answer may stop after the status
  need(payload.size(), 36, "open session response");
  r.privilege = payload[2];
  r.console_session_id = get_u32(&payload[4]);
  r.bmc_session_id = get_u32(&payload[8]);
  r.authentication = payload[16] & 0x3f;
  r.integrity = payload[24] & 0x3f;
  r.confidentiality = payload[32] & 0x3f;
  if (payload[12] != 0x00 || payload[20] != 0x01 || payload[28] != 0x02) {
    throw DecodeError("open session response: algorithm records out of order");
  }
  return r;
}

Bytes encode_rakp1(const Rakp1& message) {
  if (message.user.size() > kMaxUserName) throw DecodeError("user name longer than 16 bytes");
  Bytes out{message.tag, 0, 0, 0};
  put_u32(out, message.bmc_session_id);
  append(out, message.console_random);
  out.push_back(message.role);
  out.push_back(0);
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(message.user.size()));
  out.insert(out.end(), message.user.begin(), message.user.end());
  return out;
}

Rakp2 decode_rakp2(const Bytes& payload, size_t code_size) {
  need(payload.size(), 2, "rakp message 2");
  Rakp2 r;
  r.tag = payload[0];
  r.status = payload[1];
  if (r.status != 0) {
    if (payload.size() >= 8) r.console_session_id = get_u32(&payload[4]);
    return r;
  }
  need(payload.size(), 8 + kRandomSize + kGuidSize + code_size, "rakp message 2");
  r.console_session_id = get_u32(&payload[4]);
  r.bmc_random = slice(payload, 8, kRandomSize);
  r.bmc_guid = slice(payload, 8 + kRandomSize, kGuidSize);
  r.key_exchange_code = slice(payload, 8 + kRandomSize + kGuidSize, code_size);
  return r;
}

Bytes encode_rakp3(const Rakp3& message) {
  Bytes out{message.tag, message.status, 0, 0};
  put_u32(out, message.bmc_session_id);
  append(out, message.key_exchange_code);
  return out;
}

Rakp4 decode_rakp4(const Bytes& payload, size_t check_size) {
  need(payload.size(), 2, "rakp message 4");
  Rakp4 r;
  r.tag = payload[0];
  r.status = payload[1];
  if (r.status != 0) {
    if (payload.size() >= 8) r.console_session_id = get_u32(&payload[4]);
    return r;
  }
  need(payload.size(), 8 + check_size, "rakp message 4");
  r.console_session_id = get_u32(&payload[4]);
  r.integrity_check = slice(payload, 8, check_size);
  return r;
}

}  // namespace confluent::ipmi
