#include "ipmi/status_codes.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace confluent::ipmi {

namespace {

const char* completion_code_name(uint8_t code) {
  static const std::array<std::pair<uint8_t, const char*>, 25> names{{
      {0x00, "success"},
      {0xc0, "node busy"},
      {0xc1, "invalid command"},
      {0xc2, "command invalid for this LUN"},
      {0xc3, "timeout while processing the command"},
      {0xc4, "out of space"},
      {0xc5, "reservation cancelled or invalid"},
      {0xc6, "request data truncated"},
      {0xc7, "request data length invalid"},
      {0xc8, "request data field length limit exceeded"},
      {0xc9, "parameter out of range"},
      {0xca, "cannot return the number of requested data bytes"},
      {0xcb, "requested sensor, data or record not present"},
      {0xcc, "invalid data field in request"},
      {0xcd, "command illegal for this sensor or record type"},
      {0xce, "command response could not be provided"},
      {0xcf, "cannot execute a duplicated request"},
      {0xd0, "SDR repository in update mode"},
      {0xd1, "device in firmware update mode"},
      {0xd2, "BMC initialization in progress"},
      {0xd3, "destination unavailable"},
      {0xd4, "insufficient privilege level"},
      {0xd5, "command not supported in the present state"},
      {0xd6, "command sub-function disabled or unavailable"},
      {0xff, "unspecified error"},
  }};
  for (const auto& [value, name] : names) {
    if (value == code) return name;
  }
  return code >= 0x80 && code <= 0xbe ? "command-specific error" : "unknown completion code";
}

const char* rmcpplus_status_name(uint8_t status) {
  static const std::array<const char*, 0x13> names{
      "no errors",
      "insufficient resources to create a session",
      "invalid session ID",
      "invalid payload type",
      "invalid authentication algorithm",
      "invalid integrity algorithm",
      "no matching authentication payload",
      "no matching integrity payload",
      "inactive session ID",
      "invalid role",
      "unauthorized role or privilege level requested",
      "insufficient resources to create a session at the requested role",
      "invalid user name length",
      "unauthorized name (unknown user name)",
      "unauthorized GUID",
      "invalid integrity check value",
      "invalid confidentiality algorithm",
      "no cipher suite match with the proposed security algorithms",
      "illegal or unrecognized parameter",
  };
  return status < names.size() ? names[status] : "unknown status";
}

}  // namespace

std::string completion_code_text(uint8_t code) {
  return fmt::format("{} (0x{:02x})", completion_code_name(code), code);
}

std::string rmcpplus_status_text(uint8_t status) {
  return fmt::format("{} (0x{:02x})", rmcpplus_status_name(status), status);
}

}  // namespace confluent::ipmi
