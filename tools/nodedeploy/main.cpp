// nodedeploy: request an OS deployment for nodes (arm them, set their pending profile,
// network-boot them through their BMCs), clear a request, or show where nodes are.
#include "cli/app.h"
#include "cli/bmc_command.h"
#include "cli/deploy_command.h"

using namespace confluent;

int main(int argc, char** argv) {
  auto app = cli::make_app("nodedeploy",
                           "Request an OS deployment for nodes and boot them from the network, or show their "
                           "deployment status.");
  cli::DeployCommand command;
  cli::add_bmc_options(*app, command.bmc);
  app->add_option("profile", command.profile, "Profile to deploy (see osdeploy list); none: show the status");
  app->add_flag("-n,--network", command.network, "Deploy over the network (the default, the only method)");
  app->add_flag("-p,--prepareonly", command.prepare_only,
                "Prepare the deployment only: leave the boot device and power alone");
  app->add_flag("-c,--clear", command.clear, "Clear the pending deployment and the node authentication arming");
  app->add_flag("-r,--redeploy", command.redeploy, "Deploy again the pending, staged or completed profile");
  cli::CompletionSpec spec{{cli::Complete::Noderange, cli::Complete::Words}, cli::Complete::None, {}};
  return cli::run(*app, argc, argv, spec, [&] { return cli::run_deploy(command); });
}
