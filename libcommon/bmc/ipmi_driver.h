#pragma once
// The IPMI side of the BMC interface: per-node command chains on the IPMI engine.
#include <functional>

#include "bmc/bmc.h"
#include "ipmi/engine.h"

namespace confluent::bmc::detail {

void ipmi_power(ipmi::Engine& engine, const Endpoint& endpoint, PowerAction action, bool show_previous,
                const ResultSink& sink);
void ipmi_get_boot(ipmi::Engine& engine, const Endpoint& endpoint, const ResultSink& sink);
// Reports the device set; on success calls `then` (for nodeboot), else reports the error.
void ipmi_set_boot(ipmi::Engine& engine, const Endpoint& endpoint, const BootRequest& request,
                   const ResultSink& sink, std::function<void()> then);

}  // namespace confluent::bmc::detail
