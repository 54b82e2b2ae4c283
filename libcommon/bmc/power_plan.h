#pragma once
// What a power request means once the state before it is known; shared by every protocol.
#include <string>

#include "bmc/bmc.h"

namespace confluent::bmc::detail {

struct PowerPlan {
  bool act = false;     // something must be asked of the BMC
  bool resets = false;  // the node is restarted (reset, or boot of a node that is on)
  std::string text;     // what to report: "on", "off", "reset", or "old->new" with -p
};

PowerPlan plan_power(PowerAction action, bool was_on, bool show_previous);

}  // namespace confluent::bmc::detail
