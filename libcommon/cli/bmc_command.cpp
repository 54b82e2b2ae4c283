#include "cli/bmc_command.h"

#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "base/paths.h"
#include "cli/app.h"

namespace confluent::cli {

void add_bmc_options(CLI::App& app, BmcCommand& command) {
  app.add_option("noderange", command.noderange, "Nodes to act on")->required();
  app.add_option("-m,--maxnodes", command.max_nodes, "Ask for confirmation before changing more than N nodes")
      ->type_name("N");
  app.add_option("-t,--timeout", command.timeout, "Give up on a BMC after SECONDS (default 5)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.1, 3600.0));
}

bmc::Options bmc_options(const BmcCommand& command, BmcPrinter& printer) {
  bmc::Options options;
  options.timeout = std::chrono::milliseconds(std::llround(command.timeout * 1000));
  std::error_code ec;
  auto ca = state_path("etc/confluent/tls/cacert.pem");
  if (std::filesystem::exists(ca, ec)) options.ca_file = ca.string();
  options.learned_certificate = [&printer](const std::string& node, const std::string& fingerprint) {
    printer.learned(node, fingerprint);
  };
  return options;
}

void add_boot_options(CLI::App& app, BootFlags& flags, const std::string& device_help) {
  app.add_option("device", flags.device, device_help);
  app.add_flag("-b,--bios", flags.bios, "Boot in legacy BIOS mode");
  app.add_flag("-u,--uefi", flags.uefi, "Boot in UEFI mode");
  app.add_flag("-p,--persist", flags.persistent, "Keep the setting for every boot, not just the next one");
  app.add_option("--uri", flags.uri, "What to boot with device http (UEFI HTTP boot, Redfish BMCs)")->type_name("URL");
}

bmc::BootRequest boot_request(const BootFlags& flags) {
  if (flags.bios && flags.uefi) throw Error(ErrorKind::Usage, "-b and -u exclude each other");
  bmc::BootRequest r;
  r.device = bmc::parse_boot_device(flags.device.empty() ? "default" : flags.device);
  r.persistent = flags.persistent;
  if (!flags.uri.empty() && r.device != bmc::BootDevice::Http) throw Error(ErrorKind::Usage, "--uri goes with device http");
  r.uri = flags.uri;
  r.mode = flags.uefi ? bmc::BootMode::Uefi : flags.bios ? bmc::BootMode::Legacy : bmc::BootMode::Default;
  return r;
}

bmc::ResultSink BmcPrinter::sink() {
  return [this](const bmc::NodeResult& r) {
    if (r.error.empty() && r.text.empty()) return;
    if (r.error.empty()) {
      std::string line = r.node + ": " + r.text + "\n";
      std::fwrite(line.data(), 1, line.size(), stdout);
      std::fflush(stdout);
    } else {
      ++failures_;
      std::string line = r.node + ": error: " + r.error + "\n";
      std::fwrite(line.data(), 1, line.size(), stderr);
    }
  };
}

void BmcPrinter::learned(const std::string& node, const std::string& fingerprint) {
  learned_.emplace_back(node, fingerprint);
}

int BmcPrinter::finish() {
  if (!learned_.empty()) {
    try {
      auto db = attrdb::Database::open(attrdb::Access::Write);
      for (const auto& [node, fingerprint] : learned_) {
        db->set_node_attribute(node, attrdb::Assignment{"pubkeys.tls_hardwaremanager", attrdb::Assignment::Op::Set,
                                                        fingerprint});
      }
      db->commit();
    } catch (const std::exception& e) {
      // The run itself went fine; the certificates are offered again next time.
      std::fprintf(stderr, "warning: could not pin BMC certificates: %s\n", e.what());
    }
  }
  return failures_ == 0 ? 0 : 1;
}

std::vector<bmc::Endpoint> bmc_endpoints(const BmcCommand& command, bool confirm, BmcPrinter& printer) {
  auto db = attrdb::Database::open(attrdb::Access::Read);
  noderange::NodeList nodes = db->expand(command.noderange);
  if (confirm) confirm_node_count(nodes.size(), command.max_nodes);
  return bmc::resolve_endpoints(*db, nodes, printer.sink());
}

}  // namespace confluent::cli
