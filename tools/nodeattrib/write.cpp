#include <iostream>

#include "attrdb/database.h"
#include "base/error.h"
#include "cli/app.h"
#include "cli/attribute_args.h"
#include "nodeattrib.h"

namespace confluent::tools::nodeattrib {

namespace {

noderange::NodeList nodes_to_change(attrdb::Database& db, const Options& opt) {
  noderange::NodeList nodes = db.expand(opt.noderange);
  if (nodes.empty()) {
    throw Error(ErrorKind::Invalid,
                "no action to take, noderange is empty (if trying to define group attributes, use nodegroupattrib)");
  }
  cli::confirm_node_count(nodes.size(), opt.max_nodes);
  return nodes;
}

}  // namespace

void check_targets(const Options& opt) {
  auto db = attrdb::Database::open(attrdb::Access::Read);
  nodes_to_change(*db, opt);
}

int run_set(const Options& opt, const std::vector<std::string>& assignments) {
  auto db = attrdb::Database::open(attrdb::Access::Write);
  noderange::NodeList nodes = nodes_to_change(*db, opt);
  auto written = cli::apply_to_nodes(*db, nodes, assignments);
  db->commit();
  if (!opt.prompt) cli::print_node_writes(*db, written);
  return 0;
}

int run_clear(const Options& opt) {
  auto db = attrdb::Database::open(attrdb::Access::Write);
  noderange::NodeList nodes = nodes_to_change(*db, opt);
  std::vector<std::pair<std::string, std::string>> warnings;
  for (const auto& name : opt.args) {
    for (const auto& node : nodes) {
      for (auto& w : db->clear_node_attribute(node, name)) warnings.emplace_back(node, std::move(w));
    }
  }
  db->commit();
  for (const auto& [node, text] : warnings) cli::warn(node + ": " + text);
  return 0;
}

}  // namespace confluent::tools::nodeattrib
