// The engine against real ipmi_sim BMCs on loopback: power, boot device and device
// identity, cross-checked with ipmitool and with the simulated machine's state files.
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <optional>

#include "ipmi/chassis.h"
#include "ipmi/device.h"
#include "ipmi/engine.h"
#include "sim_fleet.h"

using namespace confluent::ipmi;
using confluent::fanout::EventLoop;
using ipmi_test::drain;
using ipmi_test::into;
using ipmi_test::Outcome;
using ipmi_test::SimFleet;
using std::chrono::milliseconds;

namespace {

bool power_of(const Outcome& o) {
  INFO("error: " << o.error);
  REQUIRE(o.calls == 1);
  REQUIRE(o.response);
  return decode_chassis_status(*o.response).power_on;
}

}  // namespace

TEST_CASE("ipmi engine: power status of several simulated BMCs at once, one session each", "[ipmi][ipmi_sim]") {
  SimFleet fleet(4);
  fleet.set_state(1, "power", "1");
  fleet.set_state(3, "power", "1");
  EventLoop loop;
  Engine engine(loop, {});
  std::vector<Outcome> status(4);
  for (size_t i = 0; i < 4; ++i) engine.send(fleet.target(i), get_chassis_status_request(), into(status[i]));
  drain(loop, engine, milliseconds(6000));
  CHECK_FALSE(power_of(status[0]));
  CHECK(power_of(status[1]));
  CHECK_FALSE(power_of(status[2]));
  CHECK(power_of(status[3]));
  CHECK(engine.stats().sessions_opened == 4);
  CHECK(fleet.ipmitool(1, "chassis power status").find("Chassis Power is on") != std::string::npos);
  CHECK(fleet.ipmitool(2, "chassis power status").find("Chassis Power is off") != std::string::npos);
  engine.close_all();
  drain(loop, engine, milliseconds(6000));
  CHECK(engine.stats().sessions_closed == 4);
}

TEST_CASE("ipmi engine: BMCs on IPv6 loopback answer through [v6]:port addresses", "[ipmi][ipmi_sim]") {
  SimFleet fleet(2, true);
  fleet.set_state(0, "power", "1");
  EventLoop loop;
  Engine engine(loop, {});
  std::vector<Outcome> status(2);
  for (size_t i = 0; i < 2; ++i) engine.send(fleet.target(i), get_chassis_status_request(), into(status[i]));
  drain(loop, engine, milliseconds(6000));
  CHECK(fleet.address(0).rfind("[::1]:", 0) == 0);
  CHECK(power_of(status[0]));
  CHECK_FALSE(power_of(status[1]));
  CHECK(fleet.ipmitool(0, "chassis power status").find("Chassis Power is on") != std::string::npos);
}

TEST_CASE("ipmi engine: chained status, power on, status go over one session and change the machine",
          "[ipmi][ipmi_sim]") {
  SimFleet fleet(2);
  EventLoop loop;
  Engine engine(loop, {});
  std::vector<Outcome> before(2), control(2), after(2);
  for (size_t i = 0; i < 2; ++i) {
    Target t = fleet.target(i);
    engine.send(t, get_chassis_status_request(), [&, i, t](const Response* r, const std::string& e) {
      into(before[i])(r, e);
      engine.send(t, chassis_control_request(ChassisAction::PowerOn),
                  [&, i, t](const Response* r, const std::string& e) {
                    into(control[i])(r, e);
                    engine.send(t, get_chassis_status_request(), into(after[i]));
                  });
    });
  }
  drain(loop, engine, milliseconds(8000));
  for (size_t i = 0; i < 2; ++i) {
    CHECK_FALSE(power_of(before[i]));
    REQUIRE(control[i].response);
    CHECK_NOTHROW(check_chassis_control(*control[i].response));
    CHECK(power_of(after[i]));
    CHECK(fleet.state(i, "power") == "1");
  }
  CHECK(engine.stats().sessions_opened == 2);  // six requests, two sessions
  CHECK(fleet.ipmitool(0, "chassis power status").find("Chassis Power is on") != std::string::npos);
}

TEST_CASE("ipmi engine: power off, soft shutdown and hard reset reach the simulated machine", "[ipmi][ipmi_sim]") {
  SimFleet fleet(3);
  for (size_t i = 0; i < 3; ++i) fleet.set_state(i, "power", "1");
  EventLoop loop;
  Engine engine(loop, {});
  std::vector<Outcome> control(3), status(3);
  const ChassisAction actions[] = {ChassisAction::PowerOff, ChassisAction::SoftShutdown, ChassisAction::HardReset};
  for (size_t i = 0; i < 3; ++i) {
    engine.send(fleet.target(i), chassis_control_request(actions[i]), into(control[i]));
    engine.send(fleet.target(i), get_chassis_status_request(), into(status[i]));  // queued behind it
  }
  drain(loop, engine, milliseconds(8000));
  for (size_t i = 0; i < 3; ++i) {
    INFO("bmc " << i << ": " << control[i].error);
    REQUIRE(control[i].response);
    CHECK(control[i].response->completion_code == 0);
  }
  CHECK_FALSE(power_of(status[0]));
  CHECK(fleet.state(0, "power") == "0");
  CHECK_FALSE(power_of(status[1]));  // the chassis script powers off on shutdown
  CHECK(fleet.state(1, "last_shutdown") == "1");
  CHECK(power_of(status[2]));
  CHECK(fleet.state(2, "last_reset") == "1");
  CHECK(fleet.ipmitool(0, "chassis power status").find("Chassis Power is off") != std::string::npos);
}

TEST_CASE("ipmi engine: boot devices set and read back, as ipmitool sees them", "[ipmi][ipmi_sim]") {
  SimFleet fleet(1);
  EventLoop loop;
  Engine engine(loop, {});
  struct Case {
    BootDevice device;
    std::string file;
    std::string ipmitool;
  };
  const Case cases[] = {
      {BootDevice::Network, "pxe", "Force PXE"},
      {BootDevice::BiosSetup, "bios", "Force Boot into BIOS Setup"},
      {BootDevice::Cd, "cdrom", "Force Boot from CD/DVD"},
      {BootDevice::Disk, "default", "Force Boot from default Hard-Drive"},
      {BootDevice::Default, "none", "No override"},
  };
  for (const auto& c : cases) {
    INFO("device " << boot_device_name(c.device));
    Outcome set, get;
    engine.send(fleet.target(0), set_boot_flags_request(c.device, false, false), into(set));
    engine.send(fleet.target(0), get_boot_flags_request(), into(get));
    drain(loop, engine, milliseconds(6000));
    REQUIRE(set.response);
    CHECK_NOTHROW(check_set_boot_flags(*set.response));
    REQUIRE(get.response);
    CHECK(decode_boot_flags(*get.response).device == c.device);
    CHECK(fleet.state(0, "boot") == c.file);
    CHECK(fleet.ipmitool(0, "chassis bootparam get 5").find(c.ipmitool) != std::string::npos);
  }
  CHECK(engine.stats().sessions_opened == 1);
}

TEST_CASE("ipmi engine: device id and system guid of a simulated BMC", "[ipmi][ipmi_sim]") {
  SimFleet fleet(1);
  EventLoop loop;
  Engine engine(loop, {});
  Outcome id, guid, device_guid;
  engine.send(fleet.target(0), get_device_id_request(), into(id));
  engine.send(fleet.target(0), get_system_guid_request(), into(guid));
  engine.send(fleet.target(0), get_device_guid_request(), into(device_guid));
  drain(loop, engine, milliseconds(6000));
  REQUIRE(id.response);
  DeviceId d = decode_device_id(*id.response);
  CHECK(d.firmware_version() == "9.08");
  CHECK(d.ipmi_version() == "2.0");
  CHECK(d.manufacturer_id == 4753);
  CHECK(d.product_id == 0x0f02);
  REQUIRE(guid.response);
  DeviceGuid g = decode_device_guid(*guid.response);
  // lan.conf sets guid a123456789abcdefa123456700000000 for bmc0; ipmitool reverses all 16 bytes.
  CHECK(g.text == "674523a1-ab89-efcd-a123-456700000000");
  // ipmi_sim does not implement Get Device GUID: the completion code comes back named.
  REQUIRE(device_guid.response);
  CHECK_THROWS_WITH(decode_device_guid(*device_guid.response), "get guid: invalid command (0xc1)");
  CHECK(fleet.ipmitool(0, "mc guid").find("00000000-6745-23a1-efcd-ab89674523a1") != std::string::npos);
}
