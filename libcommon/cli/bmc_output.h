#pragma once
// Printing BMC results as they arrive: "node: text" on stdout, "node: error: text" on
// stderr; the exit status is 1 when any node failed.
#include <cstddef>

#include "bmc/bmc.h"

namespace confluent::cli {

class BmcPrinter {
 public:
  bmc::ResultSink sink();
  int exit_status() const { return failures_ == 0 ? 0 : 1; }

 private:
  size_t failures_ = 0;
};

// Common to nodepower, nodesetboot and nodeboot: the store, the noderange, -m, and the
// nodes' BMC endpoints (nodes without one are reported through `printer`).
std::vector<bmc::Endpoint> bmc_endpoints(const std::string& noderange, int max_nodes, BmcPrinter& printer);

}  // namespace confluent::cli
