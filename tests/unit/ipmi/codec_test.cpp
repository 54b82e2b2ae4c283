// RMCP, IPMI 1.5 and RMCP+ wrappers, LAN messages and session setup messages.
#include <catch2/catch.hpp>

#include "hex.h"
#include "ipmi/lan_message.h"
#include "ipmi/packet.h"
#include "ipmi/session_keys.h"
#include "ipmi/session_messages.h"

using namespace confluent::ipmi;
using ipmi_test::from_hex;
using ipmi_test::to_hex;

namespace {

Protection test_protection(uint8_t suite) {
  Protection p;
  p.suite = suite == 17 ? find_cipher_suite(3, 4, 1) : find_cipher_suite(1, 1, 1);
  p.k1 = Bytes(digest_size(p.suite->hash), 0x11);
  p.k2 = Bytes(digest_size(p.suite->hash), 0x22);
  return p;
}

}  // namespace

TEST_CASE("ipmi lan message: a request carries addresses, sequence and two checksums", "[ipmi]") {
  // Get Channel Authentication Capabilities, as ipmitool sends it with rqSeq 0.
  Bytes message = encode_lan_request(LanRequest{0x06, 0x38, 0, {0x8e, 0x04}});
  CHECK(to_hex(message) == "2018c88100388e04b5");
  CHECK(ipmi_checksum(message.data(), 3) == 0);
  CHECK(ipmi_checksum(message.data() + 3, message.size() - 3) == 0);
  CHECK(encode_lan_request(LanRequest{0x00, 0x01, 63, {}})[4] == 0xfc);
}

TEST_CASE("ipmi lan message: a response decodes, and bad checksums or addresses are refused", "[ipmi]") {
  Bytes message{0x81, 0x1c, 0x63, 0x20, 0x04, 0x38, 0x00, 0x01, 0x80};
  message.push_back(ipmi_checksum(message.data() + 3, message.size() - 3));
  LanResponse r = decode_lan_response(message);
  CHECK(r.netfn == 0x07);
  CHECK(r.cmd == 0x38);
  CHECK(r.seq == 1);
  CHECK(r.completion_code == 0);
  CHECK(r.data == Bytes{0x01, 0x80});
  Bytes bad = message;
  bad.back() ^= 1;
  CHECK_THROWS_AS(decode_lan_response(bad), DecodeError);
  bad = message;
  bad[2] ^= 1;
  CHECK_THROWS_AS(decode_lan_response(bad), DecodeError);
  CHECK_THROWS_AS(decode_lan_response(Bytes{0x81, 0x1c}), DecodeError);
}

TEST_CASE("ipmi 1.5 wrapper: session-less packets round trip behind the RMCP header", "[ipmi]") {
  Bytes message = encode_lan_request(LanRequest{0x06, 0x38, 0, {0x8e, 0x04}});
  Bytes datagram = encode_ipmi15(message);
  CHECK(to_hex(Bytes(datagram.begin(), datagram.begin() + 14)) ==
        "0600ff07000000000000000000"
        "09");
  CHECK(peek_wrapper(datagram.data(), datagram.size()) == Wrapper::Ipmi15);
  CHECK(decode_ipmi15(datagram.data(), datagram.size()) == message);
  CHECK_THROWS_AS(decode_ipmi15(datagram.data(), datagram.size() - 1), DecodeError);
  Bytes ping = from_hex("0600ff06000011be80000000");  // an ASF presence ping is not IPMI
  CHECK_THROWS_AS(peek_wrapper(ping.data(), ping.size()), DecodeError);
}

TEST_CASE("rmcp+ wrapper: unprotected session setup payloads go in clear", "[ipmi]") {
  RmcpPlusPacket packet{PayloadType::OpenSessionRequest, false, false, 0, 0, {1, 2, 3}};
  Bytes datagram = encode_rmcpplus(packet, nullptr);
  CHECK(to_hex(datagram) ==
        "0600ff07"
        "06"
        "10"
        "00000000"
        "00000000"
        "0300"
        "010203");
  RmcpPlusPacket back = decode_rmcpplus(datagram.data(), datagram.size(), nullptr);
  CHECK(back.type == PayloadType::OpenSessionRequest);
  CHECK_FALSE(back.authenticated);
  CHECK(back.payload == packet.payload);
}

TEST_CASE("rmcp+ wrapper: protected packets round trip for every payload size and both suites", "[ipmi]") {
  for (uint8_t suite : {17, 3}) {
    Protection p = test_protection(suite);
    for (size_t size = 0; size <= 40; ++size) {
      INFO("suite " << int(suite) << ", payload of " << size << " bytes");
      Bytes payload(size);
      for (size_t i = 0; i < size; ++i) payload[i] = static_cast<uint8_t>(i * 7);
      Bytes datagram = encode_rmcpplus(RmcpPlusPacket{PayloadType::Ipmi, false, false, 0x1234, 42, payload}, &p);
      CHECK(datagram[5] == 0xc0);  // encrypted and authenticated whatever the flags said
      size_t length = get_u16(&datagram[14]);
      CHECK(length == 16 + (size / 16 + 1) * 16);  // IV + payload + confidentiality pad 1..16
      size_t integrity_part = datagram.size() - 4 - p.suite->auth_code_size;
      CHECK(integrity_part % 4 == 0);
      CHECK(datagram[datagram.size() - p.suite->auth_code_size - 1] == 0x07);
      RmcpPlusPacket back = decode_rmcpplus(datagram.data(), datagram.size(), &p);
      CHECK(back.payload == payload);
      CHECK(back.session_id == 0x1234);
      CHECK(back.sequence == 42);
    }
  }
}

TEST_CASE("rmcp+ wrapper: a fixed IV gives a fixed ciphertext and the IV leads the payload", "[ipmi]") {
  Protection p = test_protection(3);
  Bytes iv = from_hex("000102030405060708090a0b0c0d0e0f");
  Bytes a = encode_rmcpplus(RmcpPlusPacket{PayloadType::Ipmi, true, true, 1, 1, {9, 9, 9}}, &p, iv);
  Bytes b = encode_rmcpplus(RmcpPlusPacket{PayloadType::Ipmi, true, true, 1, 1, {9, 9, 9}}, &p, iv);
  CHECK(a == b);
  CHECK(Bytes(a.begin() + 16, a.begin() + 32) == iv);
  Bytes c = encode_rmcpplus(RmcpPlusPacket{PayloadType::Ipmi, true, true, 1, 1, {9, 9, 9}}, &p);
  CHECK(c != a);  // a fresh random IV each time
  Bytes plain = aes_cbc_128_decrypt(p.k2, iv.data(), a.data() + 32, 16);
  CHECK(to_hex(plain) ==
        "090909"
        "0102030405060708090a0b0c"
        "0c");  // pad 1..12, then its length
}

TEST_CASE("rmcp+ wrapper: tampering, wrong keys and protected packets without keys are refused", "[ipmi]") {
  Protection p = test_protection(17);
  Bytes datagram = encode_rmcpplus(RmcpPlusPacket{PayloadType::Ipmi, true, true, 5, 6, {1, 2, 3, 4}}, &p);
  for (size_t i : {size_t{5}, size_t{8}, size_t{12}, size_t{20}, datagram.size() - 20, datagram.size() - 1}) {
    Bytes bad = datagram;
    bad[i] ^= 0x01;
    INFO("byte " << i << " flipped");
    CHECK_THROWS_AS(decode_rmcpplus(bad.data(), bad.size(), &p), DecodeError);
  }
  Protection other = test_protection(17);
  other.k1[0] ^= 1;
  CHECK_THROWS_AS(decode_rmcpplus(datagram.data(), datagram.size(), &other), DecodeError);
  CHECK_THROWS_AS(decode_rmcpplus(datagram.data(), datagram.size(), nullptr), DecodeError);
  CHECK_THROWS_AS(decode_rmcpplus(datagram.data(), datagram.size() - 1, &p), DecodeError);
}

TEST_CASE("open session: the request proposes exactly one suite's three algorithms", "[ipmi]") {
  Bytes request = encode_open_session_request(OpenSessionRequest{7, 4, 0xa1b2c3d4, find_cipher_suite(3, 4, 1)});
  CHECK(to_hex(request) ==
        "07040000"
        "d4c3b2a1"
        "0000000803000000"
        "0100000804000000"
        "0200000801000000");
}

TEST_CASE("open session: a response decodes, and an error answer stops at its status", "[ipmi]") {
  Bytes response = from_hex(
      "0700040044332211"
      "88776655"
      "0000000801000000"
      "0100000801000000"
      "0200000801000000");
  OpenSessionResponse r = decode_open_session_response(response);
  CHECK(r.tag == 7);
  CHECK(r.status == 0);
  CHECK(r.privilege == 4);
  CHECK(r.console_session_id == 0x11223344);
  CHECK(r.bmc_session_id == 0x55667788);
  CHECK(find_cipher_suite(r.authentication, r.integrity, r.confidentiality)->id == 3);
  OpenSessionResponse error =
      decode_open_session_response(from_hex("07110000"
                                            "44332211"));
  CHECK(error.status == 0x11);
  CHECK_THROWS_AS(decode_open_session_response(Bytes(response.begin(), response.end() - 1)), DecodeError);
}

TEST_CASE("rakp: message 1 carries the role byte and the user name, 2 and 4 decode", "[ipmi]") {
  Bytes rm = from_hex("000102030405060708090a0b0c0d0e0f");
  CHECK(to_hex(encode_rakp1(Rakp1{3, 0x01020304, rm, 0x14, "admin"})) ==
        "03000000"
        "04030201"
        "000102030405060708090a0b0c0d0e0f"
        "14"
        "0000"
        "05"
        "61646d696e");
  CHECK(to_hex(encode_rakp3(Rakp3{4, 0, 0x01020304, {0xaa, 0xbb}})) ==
        "04000000"
        "04030201"
        "aabb");
  Bytes rakp2 = from_hex(
      "0300000044332211"
      "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
      "a123456789abcdefa123456789abcdef");
  rakp2.resize(rakp2.size() + 20, 0x5a);
  Rakp2 r2 = decode_rakp2(rakp2, 20);
  CHECK(r2.console_session_id == 0x11223344);
  CHECK(to_hex(r2.bmc_guid) == "a123456789abcdefa123456789abcdef");
  CHECK(r2.key_exchange_code == Bytes(20, 0x5a));
  CHECK_THROWS_AS(decode_rakp2(rakp2, 32), DecodeError);  // a suite 17 code is longer
  CHECK(decode_rakp2(from_hex("030d0000"), 20).status == 0x0d);
  Rakp4 r4 = decode_rakp4(from_hex("0400000044332211"
                                   "0102030405060708090a0b0c"),
                          12);
  CHECK(r4.integrity_check.size() == 12);
  CHECK(decode_rakp4(from_hex("040f0000"), 12).status == 0x0f);
}

TEST_CASE("channel auth capabilities: the IPMI 2.0 and Kg bits are read", "[ipmi]") {
  CHECK(channel_auth_capabilities_request(4) == Bytes{0x8e, 0x04});
  ChannelAuthCapabilities caps =
      decode_channel_auth_capabilities(from_hex("01970402000000"
                                                "00"));
  CHECK(caps.channel == 1);
  CHECK(caps.ipmi20);
  CHECK_FALSE(caps.kg_required);
  CHECK(decode_channel_auth_capabilities(from_hex("01972402000000"
                                                  "00"))
            .kg_required);
  CHECK_FALSE(decode_channel_auth_capabilities(from_hex("01170401000000"
                                                        "00"))
                  .ipmi20);
  CHECK_THROWS_AS(decode_channel_auth_capabilities(from_hex("0197")), DecodeError);
}
