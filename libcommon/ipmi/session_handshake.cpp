// Session: the handshake steps, from Get Channel Authentication Capabilities to RAKP 4.
#include <fmt/format.h>

#include "ipmi/crypto.h"
#include "ipmi/session.h"
#include "ipmi/session_messages.h"
#include "ipmi/status_codes.h"

namespace confluent::ipmi {

namespace {

constexpr uint8_t kStatusInvalidRole = 0x09;
constexpr uint8_t kStatusUnauthorizedRole = 0x0a;
constexpr uint8_t kStatusUnauthorizedName = 0x0d;
constexpr uint8_t kStatusInvalidIntegrityCheck = 0x0f;
const char* const kWrongCredentials = "authentication failed: wrong user name or password";

// The BMC's answer to an unacceptable proposal: try the next suite rather than give up.
bool suite_refused(uint8_t status) { return (status >= 0x04 && status <= 0x07) || status == 0x10 || status == 0x11; }

}  // namespace

SessionEvent Session::send_pre_session(PayloadType type, const Bytes& payload) {
  RmcpPlusPacket packet;
  packet.type = type;
  packet.payload = payload;
  last_packet_ = encode_rmcpplus(packet, nullptr);
  SessionEvent event;
  event.kind = SessionEvent::Kind::Send;
  event.packet = last_packet_;
  return event;
}

SessionEvent Session::on_auth_capabilities(const uint8_t* data, size_t size) {
  Bytes message;
  if (peek_wrapper(data, size) == Wrapper::Ipmi15) {
    message = decode_ipmi15(data, size);
  } else {
    RmcpPlusPacket packet = decode_rmcpplus(data, size, nullptr);
    if (packet.type != PayloadType::Ipmi || packet.session_id != 0) return {};
    message = packet.payload;
  }
  LanResponse response = decode_lan_response(message);
  if (response.seq != pending_.seq || response.cmd != pending_.cmd) return {};
  if (response.completion_code == 0xcc) return fail("the BMC does not support IPMI 2.0 (RMCP+)");
  if (response.completion_code != 0) {
    return fail("get channel authentication capabilities: " + completion_code_text(response.completion_code));
  }
  ChannelAuthCapabilities caps = decode_channel_auth_capabilities(response.data);
  if (!caps.ipmi20) return fail("the BMC does not support IPMI 2.0 (RMCP+)");
  kg_required_ = caps.kg_required;
  rakp_.console_session_id = 0;
  while (rakp_.console_session_id == 0) rakp_.console_session_id = random_u32();
  return open_session(0);
}

SessionEvent Session::open_session(size_t suite_index) {
  suite_index_ = suite_index;
  state_ = State::OpenSession;
  OpenSessionRequest request;
  request.tag = ++tag_;
  request.privilege = credentials_.privilege;
  request.console_session_id = rakp_.console_session_id;
  request.suite = &preferred_cipher_suites()[suite_index];
  return send_pre_session(PayloadType::OpenSessionRequest, encode_open_session_request(request));
}

SessionEvent Session::on_open_session(const RmcpPlusPacket& packet) {
  if (packet.type != PayloadType::OpenSessionResponse || packet.authenticated || packet.encrypted) return {};
  OpenSessionResponse response = decode_open_session_response(packet.payload);
  if (response.tag != tag_) return {};
  const auto& suites = preferred_cipher_suites();
  if (response.status != 0) {
    if (suite_refused(response.status) && suite_index_ + 1 < suites.size()) return open_session(suite_index_ + 1);
    return fail("open session: " + rmcpplus_status_text(response.status) +
                (suite_refused(response.status) ? "; cipher suites 17 and 3 were offered" : ""));
  }
  if (response.console_session_id != rakp_.console_session_id) return {};
  const CipherSuite* suite = find_cipher_suite(response.authentication, response.integrity, response.confidentiality);
  if (suite != &suites[suite_index_]) {
    return fail("open session: the BMC chose algorithms that were not offered (authentication " +
                std::to_string(response.authentication) + ", integrity " + std::to_string(response.integrity) +
                ", confidentiality " + std::to_string(response.confidentiality) + ")");
  }
  if (response.bmc_session_id == 0) return fail("open session: the BMC gave session ID 0");
  rakp_.suite = suite;
  rakp_.bmc_session_id = response.bmc_session_id;
  rakp_.console_random = random_bytes(16);
  state_ = State::Rakp1;
  Rakp1 rakp1{++tag_, rakp_.bmc_session_id, rakp_.console_random, rakp_.role, rakp_.user};
  return send_pre_session(PayloadType::Rakp1, encode_rakp1(rakp1));
}

SessionEvent Session::on_rakp2(const RmcpPlusPacket& packet) {
  if (packet.type != PayloadType::Rakp2 || packet.authenticated || packet.encrypted) return {};
  Rakp2 rakp2 = decode_rakp2(packet.payload, rakp_.suite->key_exchange_code_size());
  if (rakp2.tag != tag_) return {};
  if (rakp2.status == kStatusUnauthorizedName) {
    // The user name is a secret attribute: it is not repeated in the message.
    return fail("authentication failed: the BMC does not know the user name (status " +
                fmt::format("{:#04x}", rakp2.status) + ")");
  }
  if (rakp2.status == kStatusInvalidRole || rakp2.status == kStatusUnauthorizedRole) {
    return fail("privilege level '" + privilege_name(credentials_.privilege) +
                "' refused: " + rmcpplus_status_text(rakp2.status));
  }
  if (rakp2.status != 0) return fail("rakp message 2: " + rmcpplus_status_text(rakp2.status));
  if (rakp2.console_session_id != rakp_.console_session_id) return {};
  rakp_.bmc_random = rakp2.bmc_random;
  rakp_.bmc_guid = rakp2.bmc_guid;
  Bytes expected = rakp2_key_exchange_code(rakp_);
  if (!equal_secret(expected.data(), rakp2.key_exchange_code.data(), expected.size())) {
    return fail(kWrongCredentials);
  }
  state_ = State::Rakp3;
  Rakp3 rakp3{++tag_, 0, rakp_.bmc_session_id, rakp3_key_exchange_code(rakp_)};
  return send_pre_session(PayloadType::Rakp3, encode_rakp3(rakp3));
}

SessionEvent Session::on_rakp4(const RmcpPlusPacket& packet) {
  if (packet.type != PayloadType::Rakp4 || packet.authenticated || packet.encrypted) return {};
  Rakp4 rakp4 = decode_rakp4(packet.payload, rakp_.suite->integrity_check_size);
  if (rakp4.tag != tag_) return {};
  if (rakp4.status == kStatusInvalidIntegrityCheck) {
    return fail(std::string(kWrongCredentials) + " (" + rmcpplus_status_text(rakp4.status) + ")");
  }
  if (rakp4.status != 0) return fail("rakp message 4: " + rmcpplus_status_text(rakp4.status));
  if (rakp4.console_session_id != rakp_.console_session_id) return {};
  SessionKeys keys = derive_session_keys(rakp_);
  Bytes expected = rakp4_integrity_check_value(rakp_, keys.sik);
  if (!equal_secret(expected.data(), rakp4.integrity_check.data(), expected.size())) {
    if (kg_required_ && rakp_.bmc_key.empty()) return fail("authentication failed: the BMC requires a BMC key (Kg)");
    return fail("authentication failed: the RAKP 4 integrity check value does not match (wrong BMC key?)");
  }
  protection_ = Protection{rakp_.suite, keys.k1, keys.k2};
  state_ = State::SetPrivilege;
  SessionEvent event;
  event.kind = SessionEvent::Kind::Send;
  event.packet = send_lan(kNetFnApp, kCmdSetSessionPrivilege, Bytes{credentials_.privilege});
  return event;
}

}  // namespace confluent::ipmi
