// Suite 17 (and 3) checked against an independent implementation: FreeIPMI's libfreeipmi
// computes the RAKP codes and keys, and assembles and takes apart RMCP+ packets, which our
// codec must read and write identically. Built only when libfreeipmi is found.
#ifdef CONFLUENT_HAVE_FREEIPMI
#include <freeipmi/freeipmi.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <memory>

#include "hex.h"
#include "ipmi/lan_message.h"
#include "ipmi/packet.h"
#include "ipmi/session_keys.h"

using namespace confluent::ipmi;
using ipmi_test::from_hex;

namespace {

const char* const kUser = "admin";
const char* const kPassword = "s3cr3t-pass";

struct Fiid {
  explicit Fiid(fiid_template_t tmpl) : obj(fiid_obj_create(tmpl)) { REQUIRE(obj != nullptr); }
  ~Fiid() { fiid_obj_destroy(obj); }
  Fiid(const Fiid&) = delete;
  Fiid& operator=(const Fiid&) = delete;
  fiid_obj_t obj;
};

RakpInputs inputs_for(uint8_t suite_id) {
  RakpInputs in;
  in.suite = suite_id == 17 ? find_cipher_suite(3, 4, 1) : find_cipher_suite(1, 1, 1);
  in.console_session_id = 0x11223344;
  in.bmc_session_id = 0x55667788;
  in.console_random = from_hex("8f1e2d3c4b5a69788796a5b4c3d2e1f0");
  in.bmc_random = from_hex("0123456789abcdeffedcba9876543210");
  in.bmc_guid = from_hex("a123456789abcdefa123456789abcdef");
  in.role = 0x14;  // administrator, name-only lookup
  in.user = kUser;
  in.user_key = user_key_from_password(kPassword);
  return in;
}

uint8_t freeipmi_auth(const RakpInputs& in) { return in.suite->authentication; }

Bytes freeipmi_sik(const RakpInputs& in, const std::string& kg) {
  uint8_t out[64];
  const std::string& key = kg.empty() ? std::string(kPassword) : kg;
  int n = ipmi_calculate_sik(freeipmi_auth(in), key.data(), static_cast<unsigned>(key.size()), in.console_random.data(),
                             16, in.bmc_random.data(), 16, IPMI_NAME_ONLY_LOOKUP, IPMI_PRIVILEGE_LEVEL_ADMIN, kUser,
                             static_cast<unsigned>(std::strlen(kUser)), out, sizeof out);
  REQUIRE(n > 0);
  return Bytes(out, out + n);
}

Bytes freeipmi_k(const RakpInputs& in, const Bytes& sik, int which) {
  uint8_t out[64];
  int n = which == 1
              ? ipmi_calculate_k1(freeipmi_auth(in), sik.data(), static_cast<unsigned>(sik.size()), out, sizeof out)
              : ipmi_calculate_k2(freeipmi_auth(in), sik.data(), static_cast<unsigned>(sik.size()), out, sizeof out);
  REQUIRE(n > 0);
  return Bytes(out, out + n);
}

// RAKP 2 as a BMC would send it, with our key exchange code, for FreeIPMI to check.
bool freeipmi_accepts_rakp2(const RakpInputs& in) {
  Bytes payload{0x01, 0x00, 0x00, 0x00};
  put_u32(payload, in.console_session_id);
  append(payload, in.bmc_random);
  append(payload, in.bmc_guid);
  append(payload, rakp2_key_exchange_code(in));
  Fiid rakp2(tmpl_rmcpplus_rakp_message_2);
  REQUIRE(fiid_obj_set_all(rakp2.obj, payload.data(), static_cast<unsigned>(payload.size())) >= 0);
  return ipmi_rmcpplus_check_rakp_2_key_exchange_authentication_code(
             freeipmi_auth(in), kPassword, static_cast<unsigned>(std::strlen(kPassword)), in.console_session_id,
             in.bmc_session_id, in.console_random.data(), 16, in.bmc_random.data(), 16, in.bmc_guid.data(), 16,
             IPMI_NAME_ONLY_LOOKUP, IPMI_PRIVILEGE_LEVEL_ADMIN, kUser, static_cast<unsigned>(std::strlen(kUser)),
             rakp2.obj) == 1;
}

bool freeipmi_accepts_rakp4(const RakpInputs& in, const Bytes& sik) {
  Bytes payload{0x01, 0x00, 0x00, 0x00};
  put_u32(payload, in.console_session_id);
  append(payload, rakp4_integrity_check_value(in, sik));
  Fiid rakp4(tmpl_rmcpplus_rakp_message_4);
  REQUIRE(fiid_obj_set_all(rakp4.obj, payload.data(), static_cast<unsigned>(payload.size())) >= 0);
  return ipmi_rmcpplus_check_rakp_4_integrity_check_value(
             freeipmi_auth(in), sik.data(), static_cast<unsigned>(sik.size()), in.console_random.data(), 16,
             in.bmc_session_id, in.bmc_guid.data(), 16, rakp4.obj) == 1;
}

Bytes freeipmi_rakp3(const RakpInputs& in) {
  uint8_t out[64];
  int n = ipmi_calculate_rakp_3_key_exchange_authentication_code(
      freeipmi_auth(in), kPassword, static_cast<unsigned>(std::strlen(kPassword)), in.bmc_random.data(), 16,
      in.console_session_id, IPMI_NAME_ONLY_LOOKUP, IPMI_PRIVILEGE_LEVEL_ADMIN, kUser,
      static_cast<unsigned>(std::strlen(kUser)), out, sizeof out);
  REQUIRE(n > 0);
  return Bytes(out, out + n);
}

}  // namespace

TEST_CASE("ipmi keys: RAKP codes, SIK, K1, K2 and the RAKP 4 check match libfreeipmi for suites 17 and 3", "[ipmi]") {
  REQUIRE(ipmi_rmcpplus_init() == 0);
  for (uint8_t suite : {17, 3}) {
    INFO("cipher suite " << int(suite));
    RakpInputs in = inputs_for(suite);
    SessionKeys keys = derive_session_keys(in);
    CHECK(keys.sik.size() == (suite == 17 ? 32u : 20u));
    CHECK(keys.sik == freeipmi_sik(in, ""));
    CHECK(keys.k1 == freeipmi_k(in, keys.sik, 1));
    CHECK(keys.k2 == freeipmi_k(in, keys.sik, 2));
    CHECK(rakp3_key_exchange_code(in) == freeipmi_rakp3(in));
    CHECK(freeipmi_accepts_rakp2(in));
    CHECK(freeipmi_accepts_rakp4(in, keys.sik));
    in.user_key = user_key_from_password("wrong");
    CHECK_FALSE(freeipmi_accepts_rakp2(in));
  }
}

TEST_CASE("ipmi keys: with a BMC key, SIK matches libfreeipmi's SIK keyed by Kg", "[ipmi]") {
  REQUIRE(ipmi_rmcpplus_init() == 0);
  for (uint8_t suite : {17, 3}) {
    RakpInputs in = inputs_for(suite);
    in.bmc_key = bmc_key_from_text("bmc-key-0123");
    CHECK(derive_session_keys(in).sik == freeipmi_sik(in, "bmc-key-0123"));
  }
}

namespace {

Protection protection_for(uint8_t suite) {
  RakpInputs in = inputs_for(suite);
  SessionKeys keys = derive_session_keys(in);
  return Protection{in.suite, keys.k1, keys.k2};
}

// A protected Get Chassis Status request assembled by libfreeipmi.
Bytes freeipmi_request_packet(const Protection& p, uint32_t session_id, uint32_t sequence, uint8_t rq_seq) {
  Fiid rmcp(tmpl_rmcp_hdr), session(tmpl_rmcpplus_session_hdr), lan(tmpl_lan_msg_hdr_rq),
      cmd(tmpl_cmd_get_chassis_status_rq), trailer(tmpl_rmcpplus_session_trlr);
  REQUIRE(fill_rmcp_hdr_ipmi(rmcp.obj) == 0);
  REQUIRE(fill_rmcpplus_session_hdr(IPMI_PAYLOAD_TYPE_IPMI, IPMI_PAYLOAD_FLAG_AUTHENTICATED,
                                    IPMI_PAYLOAD_FLAG_ENCRYPTED, 0, 0, session_id, sequence, session.obj) == 0);
  REQUIRE(fill_lan_msg_hdr(IPMI_SLAVE_ADDRESS_BMC, IPMI_NET_FN_CHASSIS_RQ, IPMI_BMC_IPMB_LUN_BMC, rq_seq, lan.obj) ==
          0);
  REQUIRE(fill_cmd_get_chassis_status(cmd.obj) == 0);
  REQUIRE(fill_rmcpplus_session_trlr(trailer.obj) == 0);
  uint8_t packet[512];
  int n =
      assemble_ipmi_rmcpplus_pkt(p.suite->authentication, p.suite->integrity, p.suite->confidentiality, p.k1.data(),
                                 static_cast<unsigned>(p.k1.size()), p.k2.data(), static_cast<unsigned>(p.k2.size()),
                                 kPassword, static_cast<unsigned>(std::strlen(kPassword)), rmcp.obj, session.obj,
                                 lan.obj, cmd.obj, trailer.obj, packet, sizeof packet, IPMI_INTERFACE_FLAGS_DEFAULT);
  REQUIRE(n > 0);
  return Bytes(packet, packet + n);
}

}  // namespace

TEST_CASE("ipmi packets: a protected packet assembled by libfreeipmi decodes to the same request", "[ipmi]") {
  REQUIRE(ipmi_rmcpplus_init() == 0);
  for (uint8_t suite : {17, 3}) {
    INFO("cipher suite " << int(suite));
    Protection p = protection_for(suite);
    Bytes datagram = freeipmi_request_packet(p, 0x55667788, 7, 9);
    RmcpPlusPacket packet = decode_rmcpplus(datagram.data(), datagram.size(), &p);
    CHECK(packet.authenticated);
    CHECK(packet.encrypted);
    CHECK(packet.session_id == 0x55667788);
    CHECK(packet.sequence == 7);
    CHECK(packet.payload == encode_lan_request(LanRequest{0x00, 0x01, 9, {}}));
    datagram[datagram.size() - 1] ^= 1;  // a damaged AuthCode is refused
    CHECK_THROWS_AS(decode_rmcpplus(datagram.data(), datagram.size(), &p), DecodeError);
  }
}

TEST_CASE("ipmi packets: a response we protect is taken apart and verified by libfreeipmi", "[ipmi]") {
  REQUIRE(ipmi_rmcpplus_init() == 0);
  for (uint8_t suite : {17, 3}) {
    INFO("cipher suite " << int(suite));
    Protection p = protection_for(suite);
    // Get Chassis Status response: power on, as a BMC would answer it.
    Bytes message{0x81, 0x01 << 2, 0, 0x20, 3 << 2, 0x01, 0x00, 0x01, 0x00, 0x40};
    message[2] = ipmi_checksum(message.data(), 2);
    message.push_back(ipmi_checksum(message.data() + 3, message.size() - 3));
    Bytes datagram = encode_rmcpplus(RmcpPlusPacket{PayloadType::Ipmi, true, true, 0x11223344, 5, message}, &p);

    Fiid rmcp(tmpl_rmcp_hdr), session(tmpl_rmcpplus_session_hdr), payload(tmpl_rmcpplus_payload),
        lan(tmpl_lan_msg_hdr_rs), cmd(tmpl_cmd_get_chassis_status_rs), lan_trailer(tmpl_lan_msg_trlr),
        trailer(tmpl_rmcpplus_session_trlr);
    REQUIRE(unassemble_ipmi_rmcpplus_pkt(
                p.suite->authentication, p.suite->integrity, p.suite->confidentiality, p.k1.data(),
                static_cast<unsigned>(p.k1.size()), p.k2.data(), static_cast<unsigned>(p.k2.size()), datagram.data(),
                static_cast<unsigned>(datagram.size()), rmcp.obj, session.obj, payload.obj, lan.obj, cmd.obj,
                lan_trailer.obj, trailer.obj, IPMI_INTERFACE_FLAGS_DEFAULT) == 1);
    uint64_t value = 0;
    REQUIRE(FIID_OBJ_GET(cmd.obj, "current_power_state.power_is_on", &value) >= 0);
    CHECK(value == 1);
    REQUIRE(FIID_OBJ_GET(session.obj, "session_sequence_number", &value) >= 0);
    CHECK(value == 5);
    CHECK(ipmi_rmcpplus_check_payload_pad(p.suite->confidentiality, payload.obj) == 1);
    CHECK(ipmi_rmcpplus_check_integrity_pad(trailer.obj) == 1);
    CHECK(ipmi_rmcpplus_check_packet_session_authentication_code(
              p.suite->integrity, datagram.data(), static_cast<unsigned>(datagram.size()), p.k1.data(),
              static_cast<unsigned>(p.k1.size()), kPassword, static_cast<unsigned>(std::strlen(kPassword)),
              trailer.obj) == 1);
  }
}
#endif
