#pragma once
// nodedeploy (spec §5.8 step 2): show the deployment status of nodes, request a profile
// (arm the API, set deployment.pendingprofile, blank the state) and network-boot the nodes
// through the BMC layer, or clear a pending request.
#include <string>
#include <string_view>

#include "attrdb/database.h"
#include "cli/bmc_command.h"

namespace confluent::cli {

struct DeployCommand {
  BmcCommand bmc;             // noderange, -m, -t
  std::string profile;        // empty: show status (or -c / -r)
  bool network = false;       // -n: network deployment, the only kind there is
  bool prepare_only = false;  // -p: change the attributes, leave the BMCs alone
  bool clear = false;         // -c
  bool redeploy = false;      // -r
};

// The status of one node, without the "node: " prefix: "pending: p (node authentication
// armed)", "staged: p", "completed: p" or "No profile pending or applied", followed by
// " (state: s[: detail][ - time])" when deployment.state is set.
std::string deployment_status(attrdb::Database& db, std::string_view node);

// Checks the flags, then shows, clears or requests. Returns the exit status; whole-run
// failures throw confluent::Error.
int run_deploy(const DeployCommand& command);

}  // namespace confluent::cli
