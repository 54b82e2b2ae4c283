// nodeboot: set the next boot device of nodes through their BMCs, then reboot them.
#include "bmc/bmc.h"
#include "cli/app.h"
#include "cli/bmc_command.h"

using namespace confluent;

int main(int argc, char** argv) {
  auto app = cli::make_app("nodeboot",
                           "Set the next boot device of nodes through their BMCs, then reboot them (or power them on).");
  cli::BmcCommand command;
  cli::BootFlags flags;
  cli::add_bmc_options(*app, command);
  cli::add_boot_options(*app, flags, "default, cd, network, setup or hd; none: keep the device already set");
  cli::CompletionSpec spec{{cli::Complete::Noderange, cli::Complete::Words},
                           cli::Complete::None,
                           {"default", "cd", "network", "setup", "hd"}};
  return cli::run(*app, argc, argv, spec, [&] {
    bmc::BootRequest request = cli::boot_request(flags);  // fails before any node is touched
    cli::BmcPrinter printer;
    auto endpoints = cli::bmc_endpoints(command, true, printer);
    if (flags.device.empty()) {
      // As confluent: reboot into whatever next boot device is already set.
      bmc::power(endpoints, bmc::PowerAction::Boot, false, cli::bmc_options(command, printer), printer.sink());
    } else {
      bmc::boot(endpoints, request, cli::bmc_options(command, printer), printer.sink());
    }
    return printer.finish();
  });
}
