#pragma once
// One RMCP+ session with one BMC, as a state machine without I/O: it builds the datagrams to
// send and digests the ones received; the engine moves them and keeps time.
//   Get Channel Authentication Capabilities -> Open Session (suite 17, then 3) -> RAKP 1/2
//   -> RAKP 3/4 -> Set Session Privilege Level -> requests, one at a time -> Close Session
#include <cstdint>
#include <string>

#include "ipmi/bytes.h"
#include "ipmi/cipher_suite.h"
#include "ipmi/lan_message.h"
#include "ipmi/packet.h"
#include "ipmi/sequence_window.h"
#include "ipmi/session_keys.h"

namespace confluent::ipmi {

struct Credentials {
  std::string user;
  std::string password;
  std::string kg;         // BMC key; empty when the BMC has none
  uint8_t privilege = 4;  // 1 callback, 2 user, 3 operator, 4 administrator
};

std::string privilege_name(uint8_t privilege);

// What the driver must do after an inbound datagram.
struct SessionEvent {
  enum class Kind {
    None,      // nothing: the datagram was not for us, forged, replayed or malformed
    Send,      // the handshake moved on: send `packet` (and restart the retransmission clock)
    Ready,     // the session is open: requests may go
    Response,  // the answer to the pending request
    Closed,    // Close Session was acknowledged
    Failed,    // the session cannot continue: `error` says why
  };
  Kind kind = Kind::None;
  Bytes packet;
  uint8_t completion_code = 0;
  Bytes data;
  std::string error;
};

class Session {
 public:
  enum class State { Idle, AuthCapabilities, OpenSession, Rakp1, Rakp3, SetPrivilege, Active, Closing, Closed, Failed };

  // Throws Error(Invalid) for a user name over 16 bytes or a password or key over 20.
  explicit Session(Credentials credentials);

  Bytes start();                                                 // the first datagram of the handshake
  Bytes request(uint8_t netfn, uint8_t cmd, const Bytes& data);  // only when Active and idle
  Bytes close();                                                 // Close Session; only when Active and idle
  // The last datagram again; inside the session with a fresh sequence number (the BMC
  // drops repeated ones) but the same request sequence, so that either answer matches.
  Bytes retransmit();
  SessionEvent receive(const uint8_t* data, size_t size);

  State state() const { return state_; }
  bool awaiting_response() const { return awaiting_; }
  uint8_t cipher_suite_id() const { return protection_.suite ? protection_.suite->id : 0; }

 private:
  SessionEvent on_auth_capabilities(const uint8_t* data, size_t size);
  SessionEvent on_open_session(const RmcpPlusPacket& packet);
  SessionEvent on_rakp2(const RmcpPlusPacket& packet);
  SessionEvent on_rakp4(const RmcpPlusPacket& packet);
  SessionEvent on_session_message(const uint8_t* data, size_t size);
  SessionEvent on_lan_response(const LanResponse& response);
  SessionEvent open_session(size_t suite_index);
  SessionEvent send_pre_session(PayloadType type, const Bytes& payload);
  SessionEvent fail(const std::string& error);
  Bytes send_lan(uint8_t netfn, uint8_t cmd, const Bytes& data);
  Bytes encode_pending();

  Credentials credentials_;
  State state_ = State::Idle;
  bool awaiting_ = false;
  Bytes last_packet_;   // pre-session datagram for retransmission
  LanRequest pending_;  // in-session request for retransmission and matching
  uint8_t next_rq_seq_ = 1;
  uint8_t tag_ = 0;
  size_t suite_index_ = 0;
  bool kg_required_ = false;
  RakpInputs rakp_;
  Protection protection_;
  uint32_t out_sequence_ = 0;
  SequenceWindow in_window_;
};

}  // namespace confluent::ipmi
