// noderemove: delete nodes.
#include "attrdb/database.h"
#include "base/error.h"
#include "cli/app.h"
#include "output/node_output.h"

using namespace confluent;

namespace {

struct Options {
  std::string noderange;
  int max_nodes = 0;
};

int run_remove(const Options& opt) {
  auto db = attrdb::Database::open(attrdb::Access::Write);
  noderange::NodeList nodes = db->expand(opt.noderange);
  if (nodes.empty()) throw Error(ErrorKind::Invalid, "no action to take, noderange is empty");
  cli::confirm_node_count(nodes.size(), opt.max_nodes);
  for (const auto& node : nodes) db->remove_node(node);
  db->commit();
  output::Writer out;
  for (const auto& node : nodes) out.node_line(node, "deleted");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("noderemove", "Remove the nodes of a noderange from the attribute store.");
  Options opt;
  app->add_option("noderange", opt.noderange, "Nodes to remove")->required();
  app->add_option("-m,--maxnodes", opt.max_nodes, "Ask for confirmation before removing more than N nodes")
      ->type_name("N");
  cli::CompletionSpec spec{{cli::Complete::Noderange}};
  return cli::run(*app, argc, argv, spec, [&] { return run_remove(opt); });
}
