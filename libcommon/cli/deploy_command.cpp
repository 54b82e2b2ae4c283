#include "cli/deploy_command.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "base/error.h"
#include "bmc/bmc.h"
#include "cli/app.h"
#include "osdeploy/profiles.h"

namespace confluent::cli {

namespace {

using attrdb::Assignment;

std::string value_of(attrdb::Database& db, std::string_view node, std::string_view name) {
  return db.resolve(node, name).value;
}

// "Blank" as confluent does: an empty node-level value, which also masks a value a group
// would otherwise pass down, so that the node's state really is empty afterwards.
void blank(attrdb::Database& db, std::string_view node, const char* name) {
  db.set_node_attribute(node, Assignment{name, Assignment::Op::Set, ""});
}

void set(attrdb::Database& db, std::string_view node, const char* name, const std::string& value) {
  db.set_node_attribute(node, Assignment{name, Assignment::Op::Set, value});
}

std::string unknown_profile_message(const std::string& profile, const std::vector<std::string>& available) {
  std::string text = "The specified profile \"" + profile + "\" is not an available profile";
  if (available.empty()) return text + "\nNo profile is available (import one with osdeploy import)";
  text += "\nAvailable profiles:";
  for (const auto& p : available) text += "\n  " + p;
  return text;
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// Step 3 and 4 of §5.8 for one node.
void arm(attrdb::Database& db, const std::string& node, const std::string& profile) {
  if (value_of(db, node, "deployment.apiarmed") != "continuous") set(db, node, "deployment.apiarmed", "once");
  set(db, node, "deployment.pendingprofile", profile);
  blank(db, node, "deployment.state");
  blank(db, node, "deployment.state_detail");
  blank(db, node, "deployment.state_last_updated");
  // A genesis profile boots a utility image: what the node has installed stays recorded.
  if (!starts_with(profile, "genesis-")) {
    blank(db, node, "deployment.stagedprofile");
    blank(db, node, "deployment.profile");
  }
}

// The profile each node gets: the one named, or with -r the node's pending, staged or
// completed one (the first that is set). Nodes that cannot be deployed are reported.
std::map<std::string, std::string> choose_profiles(attrdb::Database& db, const noderange::NodeList& nodes,
                                                   const DeployCommand& command, const bmc::ResultSink& sink) {
  auto available = osdeploy::list().profiles;
  auto exists = [&available](const std::string& p) {
    return std::find(available.begin(), available.end(), p) != available.end();
  };
  if (!command.redeploy && !exists(command.profile)) {
    throw Error(ErrorKind::Invalid, unknown_profile_message(command.profile, available));
  }
  std::map<std::string, std::string> chosen;
  for (const auto& node : nodes) {
    if (value_of(db, node, "deployment.lock") == "locked") {
      sink({node, "", "deployment is locked"});
      continue;
    }
    std::string profile = command.profile;
    if (command.redeploy) {
      for (const char* name : {"deployment.pendingprofile", "deployment.stagedprofile", "deployment.profile"}) {
        profile = value_of(db, node, name);
        if (!profile.empty()) break;
      }
      if (profile.empty()) {
        sink({node, "", "no profile pending, staged or applied to redeploy"});
        continue;
      }
      if (!exists(profile)) {
        sink({node, "", "profile '" + profile + "' is not an available profile"});
        continue;
      }
    }
    chosen[node] = profile;
  }
  return chosen;
}

int run_status(const DeployCommand& command) {
  auto db = attrdb::Database::open(attrdb::Access::Read);
  std::string text;
  for (const auto& node : db->expand(command.bmc.noderange)) text += node + ": " + deployment_status(*db, node) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

int run_clear(const DeployCommand& command) {
  BmcPrinter printer;
  auto sink = printer.sink();
  auto db = attrdb::Database::open(attrdb::Access::Write);
  noderange::NodeList nodes = db->expand(command.bmc.noderange);
  confirm_node_count(nodes.size(), command.bmc.max_nodes);
  for (const auto& node : nodes) {
    blank(*db, node, "deployment.pendingprofile");
    blank(*db, node, "deployment.apiarmed");
  }
  db->commit();
  // Printed once the change is durable, so that a line never claims what did not happen.
  for (const auto& node : nodes) sink({node, "pending deployment cleared", ""});
  return printer.finish();
}

int run_request(const DeployCommand& command) {
  BmcPrinter printer;
  auto sink = printer.sink();
  std::vector<bmc::Endpoint> endpoints;
  {
    auto db = attrdb::Database::open(attrdb::Access::Write);
    noderange::NodeList nodes = db->expand(command.bmc.noderange);
    confirm_node_count(nodes.size(), command.bmc.max_nodes);
    auto chosen = choose_profiles(*db, nodes, command, sink);
    noderange::NodeList armed;
    for (const auto& node : nodes) {  // natural order, as the store hands them out
      auto it = chosen.find(node);
      if (it == chosen.end()) continue;
      arm(*db, node, it->second);
      armed.push_back(node);
    }
    db->commit();  // one transaction: every node is armed, or none
    if (!command.prepare_only && !armed.empty()) endpoints = bmc::resolve_endpoints(*db, armed, sink);
  }  // the store is closed before the BMCs are contacted: finish() may write to it
  if (!endpoints.empty()) {
    bmc::BootRequest request;
    request.device = bmc::BootDevice::Network;
    request.mode = bmc::BootMode::Uefi;
    bmc::boot(endpoints, request, bmc_options(command.bmc, printer), sink);
  }
  return printer.finish();
}

}  // namespace

std::string deployment_status(attrdb::Database& db, std::string_view node) {
  std::string text;
  if (auto pending = value_of(db, node, "deployment.pendingprofile"); !pending.empty()) {
    text = "pending: " + pending;
    if (!value_of(db, node, "deployment.apiarmed").empty()) text += " (node authentication armed)";
  } else if (auto staged = value_of(db, node, "deployment.stagedprofile"); !staged.empty()) {
    text = "staged: " + staged;
  } else if (auto profile = value_of(db, node, "deployment.profile"); !profile.empty()) {
    text = "completed: " + profile;
  } else {
    text = "No profile pending or applied";
  }
  if (auto state = value_of(db, node, "deployment.state"); !state.empty()) {
    text += " (state: " + state;
    if (auto detail = value_of(db, node, "deployment.state_detail"); !detail.empty()) text += ": " + detail;
    if (auto when = value_of(db, node, "deployment.state_last_updated"); !when.empty()) text += " - " + when;
    text += ")";
  }
  return text;
}

int run_deploy(const DeployCommand& command) {
  if (command.clear && command.redeploy) throw Error(ErrorKind::Usage, "-c and -r exclude each other");
  if ((command.clear || command.redeploy) && !command.profile.empty()) {
    throw Error(ErrorKind::Usage, std::string(command.clear ? "-c" : "-r") + " takes no profile");
  }
  if (command.clear && (command.prepare_only || command.network)) {
    throw Error(ErrorKind::Usage, "-c goes without -n and -p");
  }
  if (command.clear) return run_clear(command);
  if (command.redeploy || !command.profile.empty()) return run_request(command);
  if (command.prepare_only || command.network) throw Error(ErrorKind::Usage, "-n and -p need a profile or -r");
  return run_status(command);
}

}  // namespace confluent::cli
