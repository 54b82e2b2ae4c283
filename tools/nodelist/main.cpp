// nodelist: list nodes, or attributes of nodes.
#include "attrdb/database.h"
#include "attrdb/listing.h"
#include "cli/app.h"
#include "cli/attribute_args.h"

#include <cstdio>
#include <string>

using namespace confluent;

namespace {

struct Options {
  std::string noderange;
  std::vector<std::string> attributes;
  bool blame = false;
  std::string delimiter = "\n";
};

int run_list(const Options& opt) {
  auto db = attrdb::Database::open(attrdb::Access::Read);
  noderange::NodeList nodes = opt.noderange.empty() ? db->all_nodes() : db->expand(opt.noderange);
  if (!opt.attributes.empty()) {
    return cli::print_node_attributes(*db, nodes, opt.attributes, opt.blame);
  }
  std::string text;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (i) text += opt.delimiter;
    text += nodes[i];
  }
  if (!nodes.empty()) text += '\n';
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("nodelist", "List the nodes of a noderange (all nodes by default), or their attributes.");
  Options opt;
  app->add_option("noderange", opt.noderange, "Nodes to list (default: every node)");
  app->add_option("attributes", opt.attributes, "Attributes to show, as nodeattrib shows them");
  app->add_flag("-b,--blame", opt.blame, "Show where inherited and computed values come from");
  app->add_option("-d,--delimiter", opt.delimiter, "Separator between node names (default: newline)")
      ->type_name("DELIM");
  cli::CompletionSpec spec{{cli::Complete::Noderange}, cli::Complete::Attribute};
  return cli::run(*app, argc, argv, spec, [&] { return run_list(opt); });
}
