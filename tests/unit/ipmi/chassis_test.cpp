// Typed command helpers: requests as bytes, answers decoded, completion codes named.
#include "ipmi/chassis.h"

#include <catch2/catch.hpp>

#include "ipmi/device.h"
#include "ipmi/status_codes.h"

using namespace confluent::ipmi;

TEST_CASE("chassis status: power state comes from bit 0 of the first byte", "[ipmi]") {
  Request r = get_chassis_status_request();
  CHECK(r.netfn == 0x00);
  CHECK(r.cmd == 0x01);
  CHECK(r.data.empty());
  CHECK(decode_chassis_status(Response{0, {0x21, 0x00, 0x40}}).power_on);
  ChassisStatus off = decode_chassis_status(Response{0, {0x20, 0x10, 0x00, 0x00}});
  CHECK_FALSE(off.power_on);
  CHECK(off.current_power_state == 0x20);
  CHECK(off.last_power_event == 0x10);
  CHECK_THROWS_WITH(decode_chassis_status(Response{0, {0x01}}),
                    "get chassis status: short answer (1 bytes, expected 3)");
  CHECK_THROWS_WITH(decode_chassis_status(Response{0xd4, {}}),
                    "get chassis status: insufficient privilege level (0xd4)");
}

TEST_CASE("chassis control: each action is its byte, errors name the completion code", "[ipmi]") {
  CHECK(chassis_control_request(ChassisAction::PowerOff).data == std::vector<uint8_t>{0});
  CHECK(chassis_control_request(ChassisAction::PowerOn).data == std::vector<uint8_t>{1});
  CHECK(chassis_control_request(ChassisAction::PowerCycle).data == std::vector<uint8_t>{2});
  CHECK(chassis_control_request(ChassisAction::HardReset).data == std::vector<uint8_t>{3});
  CHECK(chassis_control_request(ChassisAction::SoftShutdown).data == std::vector<uint8_t>{5});
  CHECK(chassis_control_request(ChassisAction::PowerOn).cmd == 0x02);
  CHECK_NOTHROW(check_chassis_control(Response{0, {}}));
  CHECK_THROWS_WITH(check_chassis_control(Response{0xc1, {}}), "chassis control: invalid command (0xc1)");
  CHECK_THROWS_WITH(check_chassis_control(Response{0xcc, {}}), "chassis control: invalid data field in request (0xcc)");
}

TEST_CASE("boot flags: set builds parameter 5 with valid, persistent and UEFI bits", "[ipmi]") {
  Request pxe = set_boot_flags_request(BootDevice::Network, false, false);
  CHECK(pxe.netfn == 0x00);
  CHECK(pxe.cmd == 0x08);
  CHECK(pxe.data == std::vector<uint8_t>{0x05, 0x80, 0x04, 0, 0, 0});
  CHECK(set_boot_flags_request(BootDevice::Disk, true, true).data == std::vector<uint8_t>{0x05, 0xe0, 0x08, 0, 0, 0});
  CHECK(set_boot_flags_request(BootDevice::Cd, false, true).data == std::vector<uint8_t>{0x05, 0xa0, 0x14, 0, 0, 0});
  CHECK(set_boot_flags_request(BootDevice::BiosSetup, true, false).data ==
        std::vector<uint8_t>{0x05, 0xc0, 0x18, 0, 0, 0});
  CHECK(set_boot_flags_request(BootDevice::Default, false, false).data ==
        std::vector<uint8_t>{0x05, 0x00, 0x00, 0, 0, 0});
  CHECK_THROWS_WITH(check_set_boot_flags(Response{0x80, {}}),
                    "set system boot options: boot option parameter not supported (0x80)");
}

TEST_CASE("boot flags: get decodes device and bits back, and checks the parameter", "[ipmi]") {
  Request get = get_boot_flags_request();
  CHECK(get.cmd == 0x09);
  CHECK(get.data == std::vector<uint8_t>{0x05, 0x00, 0x00});
  BootFlags f = decode_boot_flags(Response{0, {0x01, 0x05, 0xe0, 0x14, 0, 0, 0}});
  CHECK(f.valid);
  CHECK(f.persistent);
  CHECK(f.uefi);
  CHECK(f.device == BootDevice::Cd);
  CHECK(boot_device_name(f.device) == "cd");
  BootFlags g = decode_boot_flags(Response{0, {0x01, 0x05, 0x00, 0x04, 0, 0, 0}});
  CHECK_FALSE(g.valid);
  CHECK(g.device == BootDevice::Network);
  CHECK(boot_device_name(BootDevice::Network) == "network");
  CHECK(boot_device_name(BootDevice::BiosSetup) == "setup");
  CHECK(boot_device_name(BootDevice::Disk) == "hd");
  CHECK_THROWS_WITH(decode_boot_flags(Response{0, {0x01, 0x04, 0, 0}}),
                    "get system boot options: answer for parameter 4 instead of 5");
}

TEST_CASE("device id: versions, manufacturer and product decode as ipmitool shows them", "[ipmi]") {
  // What ipmi_sim answers: device 0, revision 3, firmware 9.08, IPMI 2.0, MontaVista (4753), product 0x0f02.
  Response r{0, {0x00, 0x03, 0x09, 0x08, 0x02, 0x9f, 0x91, 0x12, 0x00, 0x02, 0x0f, 0, 0, 0, 0}};
  DeviceId id = decode_device_id(r);
  CHECK(id.device_revision == 3);
  CHECK(id.firmware_version() == "9.08");
  CHECK(id.ipmi_version() == "2.0");
  CHECK(id.manufacturer_id == 4753);
  CHECK(id.product_id == 0x0f02);
  CHECK(id.device_available);
  CHECK(get_device_id_request().cmd == 0x01);
  CHECK(get_device_id_request().netfn == 0x06);
}

TEST_CASE("guid: read like an SMBIOS UUID, first three fields little-endian", "[ipmi]") {
  Response r{0, {0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}};
  DeviceGuid g = decode_device_guid(r);
  CHECK(g.text == "00112233-4455-6677-8899-aabbccddeeff");
  CHECK(g.raw.size() == 16);
  CHECK(get_device_guid_request().cmd == 0x08);
  CHECK(get_system_guid_request().cmd == 0x37);
  CHECK_THROWS_WITH(decode_device_guid(Response{0xc1, {}}), "get guid: invalid command (0xc1)");
}

TEST_CASE("status codes: common completion codes and RMCP+ statuses have names", "[ipmi]") {
  CHECK(completion_code_text(0xc1) == "invalid command (0xc1)");
  CHECK(completion_code_text(0xcc) == "invalid data field in request (0xcc)");
  CHECK(completion_code_text(0xd4) == "insufficient privilege level (0xd4)");
  CHECK(completion_code_text(0x81) == "command-specific error (0x81)");
  CHECK(completion_code_text(0x42) == "unknown completion code (0x42)");
  CHECK(rmcpplus_status_text(0x0d) == "unauthorized name (unknown user name) (0x0d)");
  CHECK(rmcpplus_status_text(0x11) == "no cipher suite match with the proposed security algorithms (0x11)");
  CHECK(rmcpplus_status_text(0x40) == "unknown status (0x40)");
}
