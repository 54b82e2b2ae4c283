// nodepower: read or change the power state of nodes through their BMCs.
#include <map>

#include "base/error.h"
#include "bmc/bmc.h"
#include "cli/app.h"
#include "cli/bmc_command.h"

using namespace confluent;

namespace {

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

int run_power(const cli::BmcCommand& command, const std::string& state, bool show_previous) {
  bmc::PowerAction action = parse_action(state);
  cli::BmcPrinter printer;
  auto endpoints = cli::bmc_endpoints(command, action != bmc::PowerAction::Status, printer);
  bmc::power(endpoints, action, show_previous, cli::bmc_options(command, printer), printer.sink());
  return printer.finish();
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodepower", "Show or change the power state of nodes through their BMCs.");
  cli::BmcCommand command;
  std::string state = "status";
  bool show_previous = false;
  cli::add_bmc_options(*app, command);
  app->add_option("state", state, "status (default), on, off, shutdown, boot or reset");
  app->add_flag("-p,--showprevious", show_previous, "Show the state before the change as old->new");
  cli::CompletionSpec spec{{cli::Complete::Noderange, cli::Complete::Words},
                           cli::Complete::None,
                           {"status", "on", "off", "shutdown", "boot", "reset"}};
  return cli::run(*app, argc, argv, spec, [&] { return run_power(command, state, show_previous); });
}
