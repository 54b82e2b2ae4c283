#include "cli/bmc_output.h"

#include <cstdio>
#include <string>

#include "cli/app.h"

namespace confluent::cli {

bmc::ResultSink BmcPrinter::sink() {
  return [this](const bmc::NodeResult& r) {
    if (r.error.empty()) {
      std::string line = r.node + ": " + r.text + "\n";
      std::fwrite(line.data(), 1, line.size(), stdout);
      std::fflush(stdout);
    } else {
      ++failures_;
      std::string line = r.node + ": error: " + r.error + "\n";
      std::fwrite(line.data(), 1, line.size(), stderr);
    }
  };
}

std::vector<bmc::Endpoint> bmc_endpoints(const std::string& noderange, int max_nodes, BmcPrinter& printer) {
  auto db = attrdb::Database::open(attrdb::Access::Read);
  noderange::NodeList nodes = db->expand(noderange);
  confirm_node_count(nodes.size(), max_nodes);
  return bmc::resolve_endpoints(*db, nodes, printer.sink());
}

}  // namespace confluent::cli
