#pragma once
// Typed device commands (IPMI 2.0 chapters 20 and 22): Get Device ID, Get Device GUID and
// Get System GUID.
// Decoders throw Error(Runtime) naming the command and the completion code.
#include <cstdint>
#include <string>
#include <vector>

#include "ipmi/engine.h"

namespace confluent::ipmi {

struct DeviceId {
  uint8_t device_id = 0;
  uint8_t device_revision = 0;
  bool device_available = true;
  uint8_t firmware_major = 0;
  uint8_t firmware_minor = 0;  // decoded from BCD
  uint8_t ipmi_major = 0;
  uint8_t ipmi_minor = 0;
  uint32_t manufacturer_id = 0;  // IANA enterprise number
  uint16_t product_id = 0;

  std::string firmware_version() const;  // "9.08"
  std::string ipmi_version() const;      // "2.0"
};
Request get_device_id_request();
DeviceId decode_device_id(const Response& response);

struct DeviceGuid {
  std::vector<uint8_t> raw;  // as on the wire
  // Read like an SMBIOS UUID (first three fields little-endian), as pyghmi and confluent
  // do, so that it matches the system UUID the operating system reports.
  std::string text;
};
Request get_device_guid_request();  // Get Device GUID (app 0x08): the management controller's
Request get_system_guid_request();  // Get System GUID (app 0x37): the system's, as ipmitool mc guid
// Decodes the answer of either.
DeviceGuid decode_device_guid(const Response& response);

}  // namespace confluent::ipmi
