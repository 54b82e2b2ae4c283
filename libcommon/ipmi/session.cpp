#include "ipmi/session.h"

#include "base/error.h"
#include "ipmi/session_messages.h"
#include "ipmi/status_codes.h"

namespace confluent::ipmi {

std::string privilege_name(uint8_t privilege) {
  switch (privilege) {
    case 1:
      return "callback";
    case 2:
      return "user";
    case 3:
      return "operator";
    case 4:
      return "administrator";
    case 5:
      return "oem";
    default:
      return "privilege " + std::to_string(privilege);
  }
}

Session::Session(Credentials credentials) : credentials_(std::move(credentials)) {
  if (credentials_.user.size() > 16) {
    throw Error(ErrorKind::Invalid, "the user name is longer than 16 bytes");
  }
  if (credentials_.privilege < 1 || credentials_.privilege > 5) {
    throw Error(ErrorKind::Invalid, "bad privilege level " + std::to_string(credentials_.privilege));
  }
  rakp_.user = credentials_.user;
  rakp_.user_key = user_key_from_password(credentials_.password);
  rakp_.bmc_key = bmc_key_from_text(credentials_.kg);
  rakp_.role = static_cast<uint8_t>(credentials_.privilege | kNameOnlyLookup);
}

Bytes Session::start() {
  state_ = State::AuthCapabilities;
  awaiting_ = true;
  pending_ = LanRequest{kNetFnApp, kCmdGetChannelAuthCapabilities, next_rq_seq_,
                        channel_auth_capabilities_request(credentials_.privilege)};
  next_rq_seq_ = static_cast<uint8_t>((next_rq_seq_ + 1) & 0x3f);
  last_packet_ = encode_ipmi15(encode_lan_request(pending_));
  return last_packet_;
}

Bytes Session::request(uint8_t netfn, uint8_t cmd, const Bytes& data) {
  if (state_ != State::Active || awaiting_) throw Error(ErrorKind::Runtime, "ipmi session is not ready for a request");
  return send_lan(netfn, cmd, data);
}

Bytes Session::close() {
  if (state_ != State::Active || awaiting_) throw Error(ErrorKind::Runtime, "ipmi session is not ready to close");
  state_ = State::Closing;
  Bytes data;
  put_u32(data, rakp_.bmc_session_id);
  return send_lan(kNetFnApp, kCmdCloseSession, data);
}

Bytes Session::retransmit() {
  bool in_session = state_ == State::SetPrivilege || state_ == State::Active || state_ == State::Closing;
  return in_session ? encode_pending() : last_packet_;
}

Bytes Session::send_lan(uint8_t netfn, uint8_t cmd, const Bytes& data) {
  pending_ = LanRequest{netfn, cmd, next_rq_seq_, data};
  next_rq_seq_ = static_cast<uint8_t>((next_rq_seq_ + 1) & 0x3f);
  awaiting_ = true;
  return encode_pending();
}

Bytes Session::encode_pending() {
  RmcpPlusPacket packet;
  packet.type = PayloadType::Ipmi;
  packet.session_id = rakp_.bmc_session_id;
  packet.sequence = ++out_sequence_;
  if (out_sequence_ == 0) packet.sequence = ++out_sequence_;  // zero means "outside a session"
  packet.payload = encode_lan_request(pending_);
  return encode_rmcpplus(packet, &protection_);
}

SessionEvent Session::fail(const std::string& error) {
  state_ = State::Failed;
  awaiting_ = false;
  SessionEvent event;
  event.kind = SessionEvent::Kind::Failed;
  event.error = error;
  return event;
}

SessionEvent Session::receive(const uint8_t* data, size_t size) {
  try {
    switch (state_) {
      case State::AuthCapabilities:
        return on_auth_capabilities(data, size);
      case State::OpenSession:
      case State::Rakp1:
      case State::Rakp3: {
        if (peek_wrapper(data, size) != Wrapper::RmcpPlus) return {};
        RmcpPlusPacket packet = decode_rmcpplus(data, size, nullptr);
        if (packet.session_id != 0 && packet.session_id != rakp_.console_session_id) return {};
        if (state_ == State::OpenSession) return on_open_session(packet);
        return state_ == State::Rakp1 ? on_rakp2(packet) : on_rakp4(packet);
      }
      case State::SetPrivilege:
      case State::Active:
      case State::Closing:
        return on_session_message(data, size);
      default:
        return {};
    }
  } catch (const DecodeError&) {
    return {};  // anyone can send anything to a UDP port: drop it and keep waiting
  }
}

SessionEvent Session::on_session_message(const uint8_t* data, size_t size) {
  if (!awaiting_ || peek_wrapper(data, size) != Wrapper::RmcpPlus) return {};
  RmcpPlusPacket packet = decode_rmcpplus(data, size, &protection_);  // checks the AuthCode
  if (!packet.authenticated || !packet.encrypted || packet.type != PayloadType::Ipmi ||
      packet.session_id != rakp_.console_session_id || !in_window_.accept(packet.sequence)) {
    return {};
  }
  LanResponse response = decode_lan_response(packet.payload);
  if (response.seq != pending_.seq || response.cmd != pending_.cmd || response.netfn != pending_.netfn + 1) return {};
  return on_lan_response(response);
}

SessionEvent Session::on_lan_response(const LanResponse& response) {
  awaiting_ = false;
  SessionEvent event;
  if (state_ == State::Closing) {
    state_ = State::Closed;
    event.kind = SessionEvent::Kind::Closed;
    return event;
  }
  if (state_ == State::SetPrivilege) {
    if (response.completion_code != 0) {
      return fail("set session privilege level '" + privilege_name(credentials_.privilege) +
                  "': " + completion_code_text(response.completion_code));
    }
    state_ = State::Active;
    event.kind = SessionEvent::Kind::Ready;
    return event;
  }
  event.kind = SessionEvent::Kind::Response;
  event.completion_code = response.completion_code;
  event.data = response.data;
  return event;
}

}  // namespace confluent::ipmi
