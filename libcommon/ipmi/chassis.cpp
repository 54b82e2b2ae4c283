#include "ipmi/chassis.h"

#include <fmt/format.h>

#include "base/error.h"
#include "ipmi/status_codes.h"

namespace confluent::ipmi {

namespace {

constexpr uint8_t kCmdGetChassisStatus = 0x01;
constexpr uint8_t kCmdChassisControl = 0x02;
constexpr uint8_t kCmdSetBootOptions = 0x08;
constexpr uint8_t kCmdGetBootOptions = 0x09;
constexpr uint8_t kBootFlagsParameter = 5;
constexpr uint8_t kBootFlagValid = 0x80;
constexpr uint8_t kBootFlagPersistent = 0x40;
constexpr uint8_t kBootFlagEfi = 0x20;
constexpr uint8_t kDeviceMask = 0x3c;

// Completion codes specific to the boot options commands (IPMI 2.0 table 28-14).
std::string boot_options_code_text(uint8_t code) {
  switch (code) {
    case 0x80:
      return "boot option parameter not supported (0x80)";
    case 0x81:
      return "boot options are being set by someone else (0x81)";
    case 0x82:
      return "boot option parameter is read-only (0x82)";
    default:
      return completion_code_text(code);
  }
}

void need_data(const Response& response, size_t size, const std::string& what) {
  if (response.data.size() < size) {
    throw Error(ErrorKind::Runtime,
                fmt::format("{}: short answer ({} bytes, expected {})", what, response.data.size(), size));
  }
}

}  // namespace

void check_completion(const Response& response, const std::string& what) {
  if (response.completion_code != 0) {
    throw Error(ErrorKind::Runtime, what + ": " + completion_code_text(response.completion_code));
  }
}

Request get_chassis_status_request() { return Request{kNetFnChassis, kCmdGetChassisStatus, {}}; }

ChassisStatus decode_chassis_status(const Response& response) {
  check_completion(response, "get chassis status");
  need_data(response, 3, "get chassis status");
  ChassisStatus status;
  status.current_power_state = response.data[0];
  status.power_on = (response.data[0] & 0x01) != 0;
  status.last_power_event = response.data[1];
  status.misc_state = response.data[2];
  return status;
}

Request chassis_control_request(ChassisAction action) {
  return Request{kNetFnChassis, kCmdChassisControl, {static_cast<uint8_t>(action)}};
}

void check_chassis_control(const Response& response) { check_completion(response, "chassis control"); }

std::string boot_device_name(BootDevice device) {
  switch (device) {
    case BootDevice::Default:
      return "default";
    case BootDevice::Network:
      return "network";
    case BootDevice::Disk:
      return "hd";
    case BootDevice::SafeMode:
      return "safe";
    case BootDevice::Diagnostic:
      return "diag";
    case BootDevice::Cd:
      return "cd";
    case BootDevice::BiosSetup:
      return "setup";
    case BootDevice::Floppy:
      return "floppy";
  }
  return fmt::format("device 0x{:02x}", static_cast<uint8_t>(device));
}

Request set_boot_flags_request(BootDevice device, bool persistent, bool uefi) {
  uint8_t flags = 0;
  if (device != BootDevice::Default) flags |= kBootFlagValid;
  if (persistent) flags |= kBootFlagPersistent;
  if (uefi) flags |= kBootFlagEfi;
  return Request{
      kNetFnChassis, kCmdSetBootOptions, {kBootFlagsParameter, flags, static_cast<uint8_t>(device), 0, 0, 0}};
}

void check_set_boot_flags(const Response& response) {
  if (response.completion_code != 0) {
    throw Error(ErrorKind::Runtime, "set system boot options: " + boot_options_code_text(response.completion_code));
  }
}

Request get_boot_flags_request() { return Request{kNetFnChassis, kCmdGetBootOptions, {kBootFlagsParameter, 0, 0}}; }

BootFlags decode_boot_flags(const Response& response) {
  if (response.completion_code != 0) {
    throw Error(ErrorKind::Runtime, "get system boot options: " + boot_options_code_text(response.completion_code));
  }
  // parameter version, parameter selector, then the five boot flag bytes
  need_data(response, 4, "get system boot options");
  if ((response.data[1] & 0x7f) != kBootFlagsParameter) {
    throw Error(ErrorKind::Runtime,
                fmt::format("get system boot options: answer for parameter {} instead of 5", response.data[1] & 0x7f));
  }
  BootFlags flags;
  flags.valid = (response.data[2] & kBootFlagValid) != 0;
  flags.persistent = (response.data[2] & kBootFlagPersistent) != 0;
  flags.uefi = (response.data[2] & kBootFlagEfi) != 0;
  flags.device = static_cast<BootDevice>(response.data[3] & kDeviceMask);
  return flags;
}

}  // namespace confluent::ipmi
