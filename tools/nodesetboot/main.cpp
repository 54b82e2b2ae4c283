// nodesetboot: set (or show) the next boot device of nodes through their BMCs, without rebooting.
#include "bmc/bmc.h"
#include "cli/app.h"
#include "cli/bmc_command.h"

using namespace confluent;

int main(int argc, char** argv) {
  auto app = cli::make_app("nodesetboot",
                           "Set the next boot device of nodes through their BMCs (or show it), without rebooting.");
  cli::BmcCommand command;
  cli::BootFlags flags;
  cli::add_bmc_options(*app, command);
  cli::add_boot_options(*app, flags, "default, cd, network, setup or hd; none: show the current setting");
  cli::CompletionSpec spec{{cli::Complete::Noderange, cli::Complete::Words},
                           cli::Complete::None,
                           {"default", "cd", "network", "setup", "hd"}};
  return cli::run(*app, argc, argv, spec, [&] {
    cli::BmcPrinter printer;
    if (flags.device.empty()) {
      auto endpoints = cli::bmc_endpoints(command, false, printer);
      bmc::get_boot_device(endpoints, cli::bmc_options(command, printer), printer.sink());
    } else {
      bmc::BootRequest request = cli::boot_request(flags);  // fails before any node is touched
      auto endpoints = cli::bmc_endpoints(command, true, printer);
      bmc::set_boot_device(endpoints, request, cli::bmc_options(command, printer), printer.sink());
    }
    return printer.finish();
  });
}
