// nodepower: read or change the power state of nodes through their BMCs.
#include <cmath>
#include <map>

#include "base/error.h"
#include "bmc/bmc.h"
#include "cli/app.h"
#include "cli/bmc_output.h"

using namespace confluent;

namespace {

struct Options {
  std::string noderange;
  std::string state = "status";
  bool show_previous = false;
  int max_nodes = 0;
  double timeout = 5;
};

bmc::PowerAction parse_action(const std::string& s) {
  static const std::map<std::string, bmc::PowerAction> actions{
      {"status", bmc::PowerAction::Status}, {"state", bmc::PowerAction::Status},
      {"on", bmc::PowerAction::On},         {"off", bmc::PowerAction::Off},
      {"shutdown", bmc::PowerAction::Shutdown}, {"reset", bmc::PowerAction::Reset},
      {"boot", bmc::PowerAction::Boot}};
  auto it = actions.find(s);
  if (it == actions.end()) {
    throw Error(ErrorKind::Usage, "unknown power state '" + s + "' (status, on, off, shutdown, boot, reset)");
  }
  return it->second;
}

int run_power(const Options& opt) {
  bmc::PowerAction action = parse_action(opt.state);
  cli::BmcPrinter printer;
  auto endpoints = cli::bmc_endpoints(opt.noderange, action == bmc::PowerAction::Status ? 0 : opt.max_nodes, printer);
  bmc::Options bmc_options;
  bmc_options.timeout = std::chrono::milliseconds(std::llround(opt.timeout * 1000));
  bmc::power(endpoints, action, opt.show_previous, bmc_options, printer.sink());
  return printer.exit_status();
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodepower", "Show or change the power state of nodes through their BMCs.");
  Options opt;
  app->add_option("noderange", opt.noderange, "Nodes to act on")->required();
  app->add_option("state", opt.state, "status (default), on, off, shutdown, boot or reset");
  app->add_flag("-p,--showprevious", opt.show_previous, "Show the state before the change as old->new");
  app->add_option("-m,--maxnodes", opt.max_nodes, "Ask for confirmation before changing more than N nodes")
      ->type_name("N");
  app->add_option("-t,--timeout", opt.timeout, "Give up on a BMC after SECONDS (default 5)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.1, 3600.0));
  cli::CompletionSpec spec{{cli::Complete::Noderange}};
  return cli::run(*app, argc, argv, spec, [&] { return run_power(opt); });
}
