// nodesetboot: Set the next boot device of nodes through their BMCs (or show it), without rebooting.
#include <cmath>

#include "base/error.h"
#include "bmc/bmc.h"
#include "cli/app.h"
#include "cli/bmc_output.h"

using namespace confluent;

namespace {

struct Options {
  std::string noderange;
  std::string device;
  bool bios = false;
  bool uefi = false;
  bool persistent = false;
  int max_nodes = 0;
  double timeout = 5;
};

bmc::BootRequest request(const Options& opt) {
  if (opt.bios && opt.uefi) throw Error(ErrorKind::Usage, "-b and -u exclude each other");
  bmc::BootRequest r;
  r.device = bmc::parse_boot_device(opt.device.empty() ? "default" : opt.device);
  r.persistent = opt.persistent;
  r.mode = opt.uefi ? bmc::BootMode::Uefi : opt.bios ? bmc::BootMode::Legacy : bmc::BootMode::Default;
  return r;
}

int run(const Options& opt) {
  if (!opt.device.empty()) request(opt);  // a bad device or flag fails before any node is touched
  cli::BmcPrinter printer;
  auto endpoints = cli::bmc_endpoints(opt.noderange, opt.max_nodes, printer);
  bmc::Options bmc_options;
  bmc_options.timeout = std::chrono::milliseconds(std::llround(opt.timeout * 1000));
  if (opt.device.empty()) {
    bmc::get_boot_device(endpoints, bmc_options, printer.sink());
    return printer.exit_status();
  }
  bmc::set_boot_device(endpoints, request(opt), bmc_options, printer.sink());
  return printer.exit_status();
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodesetboot", "Set the next boot device of nodes through their BMCs (or show it), without rebooting.");
  Options opt;
  app->add_option("noderange", opt.noderange, "Nodes to act on")->required();
  app->add_option("device", opt.device, "default, cd, network, setup or hd; none: show the current setting");
  app->add_flag("-b,--bios", opt.bios, "Boot in legacy BIOS mode");
  app->add_flag("-u,--uefi", opt.uefi, "Boot in UEFI mode");
  app->add_flag("-p,--persist", opt.persistent, "Keep the setting for every boot, not just the next one");
  app->add_option("-m,--maxnodes", opt.max_nodes, "Ask for confirmation before changing more than N nodes")
      ->type_name("N");
  app->add_option("-t,--timeout", opt.timeout, "Give up on a BMC after SECONDS (default 5)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.1, 3600.0));
  cli::CompletionSpec spec{{cli::Complete::Noderange}};
  return cli::run(*app, argc, argv, spec, [&] { return run(opt); });
}
