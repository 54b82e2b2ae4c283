// nodedefine: create nodes (names expand without the store) and set their attributes.
#include "attrdb/database.h"
#include "base/error.h"
#include "cli/app.h"
#include "cli/attribute_args.h"
#include "output/node_output.h"

using namespace confluent;

namespace {

struct Options {
  std::string noderange;
  std::vector<std::string> assignments;
};

int run_define(const Options& opt) {
  cli::require_assignments(opt.assignments);
  noderange::NodeList nodes = noderange::expand_pure(opt.noderange);
  if (nodes.empty()) throw Error(ErrorKind::Invalid, "noderange '" + opt.noderange + "' names no node");
  auto db = attrdb::Database::open(attrdb::Access::Write);
  std::vector<bool> created;
  created.reserve(nodes.size());
  for (const auto& node : nodes) created.push_back(db->create_node(node));
  cli::apply_to_nodes(*db, nodes, opt.assignments);
  db->commit();
  output::Writer out;
  for (size_t i = 0; i < nodes.size(); ++i) out.node_line(nodes[i], created[i] ? "created" : "updated");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodedefine", "Define nodes, optionally with attributes.");
  Options opt;
  app->add_option("noderange", opt.noderange, "Names of the nodes to define (ranges expand, e.g. n[1-100])")
      ->required();
  app->add_option("assignments", opt.assignments, "attr=value pairs to set on every new node");
  cli::CompletionSpec spec{{cli::Complete::None}, cli::Complete::Attribute};
  return cli::run(*app, argc, argv, spec, [&] { return run_define(opt); });
}
