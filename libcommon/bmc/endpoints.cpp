// Where each node's BMC is and how to log in, from the attribute store.
#include "attrdb/schema.h"
#include "base/error.h"
#include "bmc/bmc.h"

namespace confluent::bmc {

namespace {

std::string value_of(attrdb::Database& db, const std::string& node, const char* name) {
  attrdb::ResolvedValue v = db.resolve(node, name);
  return v.error.empty() ? v.value : std::string();
}

}  // namespace

std::vector<Endpoint> resolve_endpoints(attrdb::Database& db, const noderange::NodeList& nodes,
                                        const ResultSink& sink) {
  std::vector<Endpoint> out;
  for (const auto& node : nodes) {
    Endpoint e;
    e.node = node;
    e.method = value_of(db, node, "hardwaremanagement.method");
    attrdb::ResolvedValue manager = db.resolve(node, "hardwaremanagement.manager");
    if (!manager.error.empty()) {
      sink({node, "", "hardwaremanagement.manager is broken: " + manager.error});
      continue;
    }
    e.address = manager.value;
    // A manager may carry a /prefix length for deployment; the address is what precedes it.
    if (auto slash = e.address.find('/'); slash != std::string::npos) e.address.resize(slash);
    if (e.method.empty()) {
      sink({node, "", "hardwaremanagement.method is not set (ipmi or redfish)"});
      continue;
    }
    if (e.address.empty()) {
      sink({node, "", "hardwaremanagement.manager (bmc) is not set"});
      continue;
    }
    e.user = db.reveal(node, "secret.hardwaremanagementuser");
    e.password = db.reveal(node, "secret.hardwaremanagementpassword");
    e.kg = db.reveal(node, "secret.ipmikg");
    e.tls_pin = value_of(db, node, "pubkeys.tls_hardwaremanager");
    e.tls_policy = value_of(db, node, "pubkeys.addpolicy");
    out.push_back(std::move(e));
  }
  return out;
}

const char* to_string(BootDevice device) {
  switch (device) {
    case BootDevice::Default: return "default";
    case BootDevice::Network: return "network";
    case BootDevice::Disk: return "hd";
    case BootDevice::Cd: return "cd";
    case BootDevice::Setup: return "setup";
    case BootDevice::Http: return "http";
  }
  return "default";
}

BootDevice parse_boot_device(const std::string& text) {
  if (text == "default") return BootDevice::Default;
  if (text == "network" || text == "net" || text == "pxe") return BootDevice::Network;
  if (text == "hd" || text == "disk") return BootDevice::Disk;
  if (text == "cd" || text == "dvd" || text == "optical") return BootDevice::Cd;
  if (text == "setup" || text == "bios") return BootDevice::Setup;
  if (text == "http" || text == "uefihttp") return BootDevice::Http;
  throw Error(ErrorKind::Usage, "unknown boot device '" + text + "' (default, cd, network, setup, hd, http)");
}

const char* to_string(PowerAction action) {
  switch (action) {
    case PowerAction::Status: return "status";
    case PowerAction::On: return "on";
    case PowerAction::Off: return "off";
    case PowerAction::Shutdown: return "shutdown";
    case PowerAction::Reset: return "reset";
    case PowerAction::Boot: return "boot";
  }
  return "status";
}

}  // namespace confluent::bmc
