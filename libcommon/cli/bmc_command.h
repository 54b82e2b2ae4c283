#pragma once
// What the BMC commands (nodepower, nodesetboot, nodeboot) share: their common options,
// reading the nodes' BMC endpoints, and printing results as they arrive ("node: text" on
// stdout, "node: error: text" on stderr; exit status 1 when any node failed).
#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "bmc/bmc.h"

namespace confluent::cli {

struct BmcCommand {
  std::string noderange;
  int max_nodes = 0;
  double timeout = 5;  // seconds per BMC command
};
// The noderange argument, -m and -t.
void add_bmc_options(CLI::App& app, BmcCommand& command);
class BmcPrinter;
// -t, the site CA for Redfish certificates (etc/confluent/tls/cacert.pem when present), and
// BMC certificates learned on first use collected by `printer` for finish().
bmc::Options bmc_options(const BmcCommand& command, BmcPrinter& printer);

struct BootFlags {
  std::string device;
  bool bios = false;
  bool uefi = false;
  bool persistent = false;
  std::string uri;
};
// The device argument, -b, -u, -p and --uri.
void add_boot_options(CLI::App& app, BootFlags& flags, const std::string& device_help);
// Throws a usage error for an unknown device or -b with -u.
bmc::BootRequest boot_request(const BootFlags& flags);

// Prints each result as it comes ("node: text"; results without text print nothing) and
// each error ("node: error: text" on stderr).
class BmcPrinter {
 public:
  bmc::ResultSink sink();
  void learned(const std::string& node, const std::string& fingerprint);
  // Pins the learned certificates in pubkeys.tls_hardwaremanager, then gives the exit
  // status: 1 when any node failed.
  int finish();

 private:
  size_t failures_ = 0;
  std::vector<std::pair<std::string, std::string>> learned_;
};

// The store, the noderange, -m, and the nodes' BMC endpoints (nodes without one are
// reported through `printer`). `confirm` is false for commands that only read.
std::vector<bmc::Endpoint> bmc_endpoints(const BmcCommand& command, bool confirm, BmcPrinter& printer);

}  // namespace confluent::cli
