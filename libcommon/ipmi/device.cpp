#include "ipmi/device.h"

#include <fmt/format.h>

#include "base/error.h"
#include "ipmi/chassis.h"

namespace confluent::ipmi {

namespace {

constexpr uint8_t kNetFnApp = 0x06;
constexpr uint8_t kCmdGetDeviceId = 0x01;
constexpr uint8_t kCmdGetDeviceGuid = 0x08;
constexpr uint8_t kCmdGetSystemGuid = 0x37;

uint8_t from_bcd(uint8_t value) { return static_cast<uint8_t>((value >> 4) * 10 + (value & 0x0f)); }

}  // namespace

std::string DeviceId::firmware_version() const { return fmt::format("{}.{:02}", firmware_major, firmware_minor); }

std::string DeviceId::ipmi_version() const { return fmt::format("{}.{}", ipmi_major, ipmi_minor); }

Request get_device_id_request() { return Request{kNetFnApp, kCmdGetDeviceId, {}}; }

DeviceId decode_device_id(const Response& response) {
  check_completion(response, "get device id");
  const auto& d = response.data;
  if (d.size() < 11) throw Error(ErrorKind::Runtime, fmt::format("get device id: short answer ({} bytes)", d.size()));
  DeviceId id;
  id.device_id = d[0];
  id.device_revision = d[1] & 0x0f;
  id.device_available = (d[2] & 0x80) == 0;  // set while a firmware update is in progress
  id.firmware_major = d[2] & 0x7f;
  id.firmware_minor = from_bcd(d[3]);
  id.ipmi_major = d[4] & 0x0f;
  id.ipmi_minor = d[4] >> 4;
  id.manufacturer_id = static_cast<uint32_t>(d[6] | (d[7] << 8) | ((d[8] & 0x0f) << 16));
  id.product_id = static_cast<uint16_t>(d[9] | (d[10] << 8));
  return id;
}

Request get_device_guid_request() { return Request{kNetFnApp, kCmdGetDeviceGuid, {}}; }

Request get_system_guid_request() { return Request{kNetFnApp, kCmdGetSystemGuid, {}}; }

DeviceGuid decode_device_guid(const Response& response) {
  check_completion(response, "get guid");
  const auto& d = response.data;
  if (d.size() < 16) throw Error(ErrorKind::Runtime, fmt::format("get guid: short answer ({} bytes)", d.size()));
  DeviceGuid guid;
  guid.raw.assign(d.begin(), d.begin() + 16);
  guid.text = fmt::format("{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-", d[3], d[2], d[1], d[0],
                          d[5], d[4], d[7], d[6], d[8], d[9]);
  for (size_t i = 10; i < 16; ++i) guid.text += fmt::format("{:02x}", d[i]);
  return guid;
}

}  // namespace confluent::ipmi
