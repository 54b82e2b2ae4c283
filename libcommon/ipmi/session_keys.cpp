#include "ipmi/session_keys.h"

#include <cctype>

#include "base/error.h"

namespace confluent::ipmi {

namespace {

constexpr size_t kKeySize = 20;

Bytes padded_key(const std::string& text, const char* what) {
  if (text.size() > kKeySize) {
    throw Error(ErrorKind::Invalid, std::string(what) + " is longer than 20 bytes, which IPMI 2.0 does not allow");
  }
  Bytes key(text.begin(), text.end());
  key.resize(kKeySize, 0);
  return key;
}

bool is_hex_key(const std::string& text) {
  if (text.size() != 2 + 2 * kKeySize || (text.rfind("0x", 0) != 0 && text.rfind("0X", 0) != 0)) return false;
  for (size_t i = 2; i < text.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

void put_role_and_user(Bytes& data, const RakpInputs& in) {
  data.push_back(in.role);
  data.push_back(static_cast<uint8_t>(in.user.size()));
  data.insert(data.end(), in.user.begin(), in.user.end());
}

Bytes derive_constant_key(Hash hash, const Bytes& sik, uint8_t constant) {
  // IPMI 2.0 section 13.32: K1 and K2 are HMACs, keyed by SIK, of the constants 01h and 02h
  // repeated 20 times, for SHA-256 suites too.
  return hmac(hash, sik, Bytes(kKeySize, constant));
}

}  // namespace

Bytes user_key_from_password(const std::string& password) { return padded_key(password, "the password"); }

Bytes bmc_key_from_text(const std::string& kg) {
  if (kg.empty()) return {};
  if (!is_hex_key(kg)) return padded_key(kg, "the BMC key (Kg)");
  Bytes key;
  for (size_t i = 2; i < kg.size(); i += 2)
    key.push_back(static_cast<uint8_t>(std::stoi(kg.substr(i, 2), nullptr, 16)));
  return key;
}

Bytes rakp2_key_exchange_code(const RakpInputs& in) {
  Bytes data;
  put_u32(data, in.console_session_id);
  put_u32(data, in.bmc_session_id);
  append(data, in.console_random);
  append(data, in.bmc_random);
  append(data, in.bmc_guid);
  put_role_and_user(data, in);
  return hmac(in.suite->hash, in.user_key, data);
}

Bytes rakp3_key_exchange_code(const RakpInputs& in) {
  Bytes data = in.bmc_random;
  put_u32(data, in.console_session_id);
  put_role_and_user(data, in);
  return hmac(in.suite->hash, in.user_key, data);
}

SessionKeys derive_session_keys(const RakpInputs& in) {
  Bytes data = in.console_random;
  append(data, in.bmc_random);
  put_role_and_user(data, in);
  SessionKeys keys;
  keys.sik = hmac(in.suite->hash, in.bmc_key.empty() ? in.user_key : in.bmc_key, data);
  keys.k1 = derive_constant_key(in.suite->hash, keys.sik, 0x01);
  keys.k2 = derive_constant_key(in.suite->hash, keys.sik, 0x02);
  return keys;
}

Bytes rakp4_integrity_check_value(const RakpInputs& in, const Bytes& sik) {
  Bytes data = in.console_random;
  put_u32(data, in.bmc_session_id);
  append(data, in.bmc_guid);
  Bytes full = hmac(in.suite->hash, sik, data);
  full.resize(in.suite->integrity_check_size);
  return full;
}

}  // namespace confluent::ipmi
