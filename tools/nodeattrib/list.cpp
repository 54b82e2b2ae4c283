#include "attrdb/database.h"
#include "attrdb/listing.h"
#include "cli/attribute_args.h"
#include "nodeattrib.h"

namespace confluent::tools::nodeattrib {

int run_list(const Options& opt) {
  auto db = attrdb::Database::open(attrdb::Access::Read);
  noderange::NodeList nodes = db->expand(opt.noderange);
  std::vector<std::string> requested = opt.args;
  return cli::print_listing(attrdb::list_node_attributes(*db, nodes, requested), opt.blame);
}

}  // namespace confluent::tools::nodeattrib
