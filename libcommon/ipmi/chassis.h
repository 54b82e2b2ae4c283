#pragma once
// Typed chassis commands (IPMI 2.0 chapter 28): each builds a Request for Engine::send and
// decodes its Response. Decoders throw Error(Runtime) naming the command and the completion
// code, e.g. "chassis control: insufficient privilege level (0xd4)".
#include <cstdint>
#include <string>

#include "ipmi/engine.h"

namespace confluent::ipmi {

constexpr uint8_t kNetFnChassis = 0x00;

struct ChassisStatus {
  bool power_on = false;            // current power state, bit 0
  uint8_t current_power_state = 0;  // the whole byte: overload, interlock, fault, policy
  uint8_t last_power_event = 0;
  uint8_t misc_state = 0;
};
Request get_chassis_status_request();
ChassisStatus decode_chassis_status(const Response& response);

enum class ChassisAction : uint8_t {
  PowerOff = 0,
  PowerOn = 1,
  PowerCycle = 2,
  HardReset = 3,
  DiagnosticInterrupt = 4,
  SoftShutdown = 5,  // ACPI shutdown request to the operating system
};
Request chassis_control_request(ChassisAction action);
void check_chassis_control(const Response& response);

// Boot device selector of boot flags data byte 2, as the byte's value (bits 5:2).
enum class BootDevice : uint8_t {
  Default = 0x00,  // no override
  Network = 0x04,  // PXE
  Disk = 0x08,
  SafeMode = 0x0c,
  Diagnostic = 0x10,
  Cd = 0x14,
  BiosSetup = 0x18,
  Floppy = 0x3c,
};
std::string boot_device_name(BootDevice device);  // "network", "hd", "cd", "setup", "default"...

// System boot options parameter 5, the boot flags.
struct BootFlags {
  bool valid = false;       // the BIOS is to honour the flags
  bool persistent = false;  // all future boots, not only the next
  bool uefi = false;        // EFI boot rather than legacy PC compatible
  BootDevice device = BootDevice::Default;
};
// Sets the boot flags; `valid` is set for any device but Default, which clears the override.
Request set_boot_flags_request(BootDevice device, bool persistent, bool uefi);
void check_set_boot_flags(const Response& response);
Request get_boot_flags_request();
BootFlags decode_boot_flags(const Response& response);

// Throws Error(Runtime) "<what>: <completion code text>" when the code is not zero.
void check_completion(const Response& response, const std::string& what);

}  // namespace confluent::ipmi
