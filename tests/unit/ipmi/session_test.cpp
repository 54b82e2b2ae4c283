// The session state machine against an in-memory BMC side written here from the message
// layouts, to reach the cases a real simulator will not produce: downgrades to suite 0,
// forged and replayed packets, refused suites.
#include "ipmi/session.h"

#include <catch2/catch.hpp>

#include "hex.h"
#include "ipmi/crypto.h"
#include "ipmi/lan_message.h"
#include "ipmi/packet.h"
#include "ipmi/session_keys.h"

using namespace confluent::ipmi;
using ipmi_test::from_hex;

namespace {

Bytes lan_response(uint8_t netfn, uint8_t cmd, uint8_t seq, uint8_t cc, const Bytes& data) {
  Bytes m{0x81, static_cast<uint8_t>((netfn + 1) << 2), 0, 0x20, static_cast<uint8_t>(seq << 2), cmd, cc};
  m[2] = ipmi_checksum(m.data(), 2);
  append(m, data);
  m.push_back(ipmi_checksum(m.data() + 3, m.size() - 3));
  return m;
}

struct FakeBmc {
  std::string password = "secret";
  std::vector<uint8_t> refused_suites;  // answer "no cipher suite match" to these
  bool offer_suite0 = false;            // answer any proposal with suite 0
  RakpInputs in;
  Protection keys;
  uint32_t sequence = 0;
  Bytes last_answer;

  Bytes answer(const Bytes& datagram) {
    if (peek_wrapper(datagram.data(), datagram.size()) == Wrapper::Ipmi15) {
      Bytes m = decode_ipmi15(datagram.data(), datagram.size());
      return encode_ipmi15(lan_response(m[1] >> 2, m[5], m[4] >> 2, 0, from_hex("0197040200000000")));
    }
    RmcpPlusPacket p = decode_rmcpplus(datagram.data(), datagram.size(), keys.suite ? &keys : nullptr);
    switch (p.type) {
      case PayloadType::OpenSessionRequest:
        return open_session(p.payload);
      case PayloadType::Rakp1:
        return rakp2(p.payload);
      case PayloadType::Rakp3:
        return rakp4(p.payload);
      default:
        return ipmi(p.payload);
    }
  }

  Bytes plain(PayloadType type, const Bytes& payload) {
    return encode_rmcpplus(RmcpPlusPacket{type, false, false, 0, 0, payload}, nullptr);
  }

  Bytes open_session(const Bytes& rq) {
    in.console_session_id = get_u32(&rq[4]);
    Bytes rs{rq[0], 0, 4, 0};
    const CipherSuite* suite = find_cipher_suite(rq[12], rq[20], rq[28]);
    for (uint8_t id : refused_suites) {
      if (suite && suite->id == id) return plain(PayloadType::OpenSessionResponse, Bytes{rq[0], 0x11, 0, 0});
    }
    in.suite = suite;
    in.bmc_session_id = 0x0badcafe;
    put_u32(rs, in.console_session_id);
    put_u32(rs, in.bmc_session_id);
    for (int i = 0; i < 3; ++i) {
      Bytes record{static_cast<uint8_t>(i), 0, 0, 8, offer_suite0 ? uint8_t{0} : rq[12 + 8 * i], 0, 0, 0};
      append(rs, record);
    }
    return plain(PayloadType::OpenSessionResponse, rs);
  }

  Bytes rakp2(const Bytes& rq) {
    in.console_random.assign(rq.begin() + 8, rq.begin() + 24);
    in.role = rq[24];
    in.user.assign(rq.begin() + 28, rq.begin() + 28 + rq[27]);
    in.user_key = user_key_from_password(password);
    in.bmc_random = from_hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    in.bmc_guid = from_hex("a123456789abcdefa123456789abcdef");
    Bytes rs{rq[0], 0, 0, 0};
    put_u32(rs, in.console_session_id);
    append(rs, in.bmc_random);
    append(rs, in.bmc_guid);
    append(rs, rakp2_key_exchange_code(in));
    return plain(PayloadType::Rakp2, rs);
  }

  Bytes rakp4(const Bytes& rq) {
    Bytes expected = rakp3_key_exchange_code(in);
    Bytes rs{rq[0], 0, 0, 0};
    if (Bytes(rq.begin() + 8, rq.end()) != expected) rs[1] = 0x0f;
    put_u32(rs, in.console_session_id);
    SessionKeys k = derive_session_keys(in);
    append(rs, rakp4_integrity_check_value(in, k.sik));
    keys = Protection{in.suite, k.k1, k.k2};
    return plain(PayloadType::Rakp4, rs);
  }

  Bytes ipmi(const Bytes& m) {
    Bytes data(m.begin() + 6, m.end() - 1);
    Bytes answer = m[5] == 0x01 ? Bytes{0x01, 0x00, 0x40} : Bytes{0x04};
    Bytes rs = lan_response(m[1] >> 2, m[5], m[4] >> 2, 0, answer);
    last_answer =
        encode_rmcpplus(RmcpPlusPacket{PayloadType::Ipmi, true, true, in.console_session_id, ++sequence, rs}, &keys);
    return last_answer;
  }
};

// Runs the handshake until it stops asking to send; returns the last event.
SessionEvent handshake(Session& session, FakeBmc& bmc) {
  Bytes packet = session.start();
  for (int step = 0; step < 10; ++step) {
    Bytes answer = bmc.answer(packet);
    SessionEvent event = session.receive(answer.data(), answer.size());
    if (event.kind != SessionEvent::Kind::Send) return event;
    packet = event.packet;
  }
  FAIL("handshake did not end");
  return {};
}

}  // namespace

TEST_CASE("session: the handshake opens suite 17 and a request gets its answer", "[ipmi]") {
  Session session(Credentials{"admin", "secret", "", 4});
  FakeBmc bmc;
  SessionEvent event = handshake(session, bmc);
  REQUIRE(event.kind == SessionEvent::Kind::Ready);
  CHECK(session.state() == Session::State::Active);
  CHECK(session.cipher_suite_id() == 17);
  Bytes answer = bmc.answer(session.request(0x00, 0x01, {}));
  event = session.receive(answer.data(), answer.size());
  REQUIRE(event.kind == SessionEvent::Kind::Response);
  CHECK(event.completion_code == 0);
  CHECK(event.data == Bytes{0x01, 0x00, 0x40});
}

TEST_CASE("session: a replayed answer is ignored, a retransmission uses a new sequence number", "[ipmi]") {
  Session session(Credentials{"admin", "secret", "", 4});
  FakeBmc bmc;
  REQUIRE(handshake(session, bmc).kind == SessionEvent::Kind::Ready);
  Bytes first = session.request(0x00, 0x01, {});
  Bytes again = session.retransmit();
  CHECK(first != again);
  RmcpPlusPacket a = decode_rmcpplus(first.data(), first.size(), &bmc.keys);
  RmcpPlusPacket b = decode_rmcpplus(again.data(), again.size(), &bmc.keys);
  CHECK(b.sequence == a.sequence + 1);
  CHECK(a.payload == b.payload);  // same request sequence: either answer matches
  Bytes answer = bmc.answer(again);
  REQUIRE(session.receive(answer.data(), answer.size()).kind == SessionEvent::Kind::Response);
  // 64 requests later the 6-bit request sequence comes round again: only the session
  // sequence number tells the old answer from the new.
  for (int i = 0; i < 63; ++i) {
    Bytes a = bmc.answer(session.request(0x00, 0x01, {}));
    REQUIRE(session.receive(a.data(), a.size()).kind == SessionEvent::Kind::Response);
  }
  bmc.answer(session.request(0x00, 0x01, {}));
  CHECK(session.receive(answer.data(), answer.size()).kind == SessionEvent::Kind::None);
  CHECK(session.receive(bmc.last_answer.data(), bmc.last_answer.size()).kind == SessionEvent::Kind::Response);
}

TEST_CASE("session: a BMC that refuses suite 17 gets suite 3 proposed next", "[ipmi]") {
  Session session(Credentials{"admin", "secret", "", 4});
  FakeBmc bmc;
  bmc.refused_suites = {17};
  REQUIRE(handshake(session, bmc).kind == SessionEvent::Kind::Ready);
  CHECK(session.cipher_suite_id() == 3);
}

TEST_CASE("session: a BMC refusing both suites fails with the RMCP+ status", "[ipmi]") {
  Session session(Credentials{"admin", "secret", "", 4});
  FakeBmc bmc;
  bmc.refused_suites = {17, 3};
  SessionEvent event = handshake(session, bmc);
  REQUIRE(event.kind == SessionEvent::Kind::Failed);
  CHECK(event.error ==
        "open session: no cipher suite match with the proposed security algorithms (0x11); "
        "cipher suites 17 and 3 were offered");
}

TEST_CASE("session: a BMC answering with suite 0 is refused, never used", "[ipmi]") {
  Session session(Credentials{"admin", "secret", "", 4});
  FakeBmc bmc;
  bmc.offer_suite0 = true;
  SessionEvent event = handshake(session, bmc);
  REQUIRE(event.kind == SessionEvent::Kind::Failed);
  CHECK(event.error ==
        "open session: the BMC chose algorithms that were not offered "
        "(authentication 0, integrity 0, confidentiality 0)");
  CHECK(session.state() == Session::State::Failed);
}

TEST_CASE("session: a wrong password is reported as such at RAKP 2", "[ipmi]") {
  Session session(Credentials{"admin", "not-the-password", "", 4});
  FakeBmc bmc;
  SessionEvent event = handshake(session, bmc);
  REQUIRE(event.kind == SessionEvent::Kind::Failed);
  CHECK(event.error == "authentication failed: wrong user name or password");
}

TEST_CASE("session: garbage and forged packets are dropped without changing state", "[ipmi]") {
  Session session(Credentials{"admin", "secret", "", 4});
  FakeBmc bmc;
  REQUIRE(handshake(session, bmc).kind == SessionEvent::Kind::Ready);
  session.request(0x00, 0x01, {});
  Bytes junk{1, 2, 3};
  CHECK(session.receive(junk.data(), junk.size()).kind == SessionEvent::Kind::None);
  // A well-formed answer under other keys: refused by the AuthCode check.
  Protection forged = bmc.keys;
  forged.k1 = Bytes(forged.k1.size(), 0x42);
  Bytes fake = encode_rmcpplus(RmcpPlusPacket{PayloadType::Ipmi, true, true, bmc.in.console_session_id, 99,
                                              lan_response(0x00, 0x01, 1, 0, {0x00})},
                               &forged);
  CHECK(session.receive(fake.data(), fake.size()).kind == SessionEvent::Kind::None);
  // An unauthenticated answer inside the session.
  Bytes clear = encode_rmcpplus(RmcpPlusPacket{PayloadType::Ipmi, false, false, bmc.in.console_session_id, 100,
                                               lan_response(0x00, 0x01, 1, 0, {0x00})},
                                nullptr);
  CHECK(session.receive(clear.data(), clear.size()).kind == SessionEvent::Kind::None);
  CHECK(session.state() == Session::State::Active);
  CHECK(session.awaiting_response());
}

TEST_CASE("session: long user names and bad privilege levels are refused up front", "[ipmi]") {
  CHECK_THROWS_WITH(Session(Credentials{std::string(17, 'u'), "", "", 4}), Catch::Contains("longer than 16 bytes"));
  CHECK_THROWS_WITH(Session(Credentials{"admin", "", "", 9}), Catch::Contains("bad privilege level 9"));
  CHECK(privilege_name(4) == "administrator");
  CHECK(privilege_name(2) == "user");
}
