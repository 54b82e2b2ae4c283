#include "bmc/ipmi_driver.h"

#include <memory>

#include "base/error.h"
#include "bmc/power_plan.h"
#include "ipmi/chassis.h"

namespace confluent::bmc::detail {

namespace {

ipmi::Target target_of(const Endpoint& e) { return ipmi::Target{e.node, e.address, e.user, e.password, e.kg}; }

// Wraps a decoding step: an engine error or a decoder's exception becomes the node's error.
template <class Fn>
ipmi::Reply step(const std::string& node, const ResultSink& sink, Fn fn) {
  return [node, sink, fn](const ipmi::Response* r, const std::string& error) {
    if (r == nullptr) {
      sink({node, "", error});
      return;
    }
    try {
      fn(*r);
    } catch (const std::exception& e) {
      sink({node, "", e.what()});
    }
  };
}

const char* state_name(bool on) { return on ? "on" : "off"; }

ipmi::ChassisAction control_for(PowerAction action, bool was_on) {
  switch (action) {
    case PowerAction::On: return ipmi::ChassisAction::PowerOn;
    case PowerAction::Off: return ipmi::ChassisAction::PowerOff;
    case PowerAction::Shutdown: return ipmi::ChassisAction::SoftShutdown;
    case PowerAction::Reset: return ipmi::ChassisAction::HardReset;
    default: return was_on ? ipmi::ChassisAction::HardReset : ipmi::ChassisAction::PowerOn;
  }
}

ipmi::BootDevice ipmi_device(BootDevice d) {
  switch (d) {
    case BootDevice::Network: return ipmi::BootDevice::Network;
    case BootDevice::Disk: return ipmi::BootDevice::Disk;
    case BootDevice::Cd: return ipmi::BootDevice::Cd;
    case BootDevice::Setup: return ipmi::BootDevice::BiosSetup;
    case BootDevice::Default:
    case BootDevice::Http: break;
  }
  return ipmi::BootDevice::Default;
}

}  // namespace

void ipmi_power(ipmi::Engine& engine, const Endpoint& e, PowerAction action, bool show_previous,
                const ResultSink& sink) {
  ipmi::Target t = target_of(e);
  std::string node = e.node;
  if (action == PowerAction::Status) {
    engine.send(t, ipmi::get_chassis_status_request(), step(node, sink, [node, sink](const ipmi::Response& r) {
                  sink({node, state_name(ipmi::decode_chassis_status(r).power_on), ""});
                }));
    return;
  }
  // The state before is read first: boot depends on it, and -p shows it.
  engine.send(t, ipmi::get_chassis_status_request(),
              step(node, sink, [&engine, t, node, sink, action, show_previous](const ipmi::Response& r) {
                bool was_on = ipmi::decode_chassis_status(r).power_on;
                PowerPlan plan = plan_power(action, was_on, show_previous);
                std::string text = plan.text;
                if (!plan.act) {  // already there: nothing to ask
                  sink({node, text, ""});
                  return;
                }
                engine.send(t, ipmi::chassis_control_request(control_for(action, was_on)),
                            step(node, sink, [node, sink, text](const ipmi::Response& c) {
                              ipmi::check_chassis_control(c);
                              sink({node, text, ""});
                            }));
              }));
}

void ipmi_get_boot(ipmi::Engine& engine, const Endpoint& e, const ResultSink& sink) {
  std::string node = e.node;
  engine.send(target_of(e), ipmi::get_boot_flags_request(), step(node, sink, [node, sink](const ipmi::Response& r) {
                ipmi::BootFlags flags = ipmi::decode_boot_flags(r);
                // Without the valid bit the override is spent or was never set: the next boot
                // is the firmware's default, whatever the selector still says.
                sink({node, flags.valid ? ipmi::boot_device_name(flags.device) : "default", ""});
              }));
}

void ipmi_set_boot(ipmi::Engine& engine, const Endpoint& e, const BootRequest& request, const ResultSink& sink,
                   std::function<void()> then) {
  ipmi::Target t = target_of(e);
  std::string node = e.node;
  if (request.device == BootDevice::Http) {
    sink({node, "", "UEFI HTTP boot needs hardwaremanagement.method=redfish"});
    return;
  }
  // Parameter 3 first: stop the BMC from dropping a one-time setting when no restart
  // follows within 60 s (BMCs that lack it answer with an error, which is fine).
  ipmi::Request keep{0x00, 0x08, {0x03, 0x08}};
  bool uefi = request.mode != BootMode::Legacy;
  engine.send(t, keep, [&engine, t, node, sink, request, then, uefi](const ipmi::Response* r, const std::string& error) {
    if (r == nullptr) {
      sink({node, "", error});
      return;
    }
    engine.send(t, ipmi::set_boot_flags_request(ipmi_device(request.device), request.persistent, uefi),
                step(node, sink, [node, sink, request, then](const ipmi::Response& set) {
                  ipmi::check_set_boot_flags(set);
                  sink({node, to_string(request.device), ""});
                  if (then) then();
                }));
  });
}

}  // namespace confluent::bmc::detail
