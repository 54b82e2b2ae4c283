#include "attrdb/database.h"
#include "attrdb/listing.h"
#include "cli/attribute_args.h"
#include "nodeattrib.h"

namespace confluent::tools::nodeattrib {

int run_list(const Options& opt) {
  auto db = attrdb::Database::open(attrdb::Access::Read);
  noderange::NodeList nodes = db->expand(opt.noderange);
  return cli::print_node_attributes(*db, nodes, opt.args, opt.blame);
}

}  // namespace confluent::tools::nodeattrib
