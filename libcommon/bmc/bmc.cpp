// Dispatch by hardwaremanagement.method, and the event loop every node of a run shares.
#include "bmc/bmc.h"

#include "bmc/ipmi_driver.h"
#include "fanout/event_loop.h"

namespace confluent::bmc {

namespace {

// Runs `per_ipmi` for every IPMI endpoint on one engine and drives the loop until every
// node has answered or timed out; other methods are reported per node.
template <class Fn>
void run_all(const std::vector<Endpoint>& endpoints, const Options& options, const ResultSink& sink, Fn per_ipmi) {
  fanout::EventLoop loop;
  ipmi::EngineOptions engine_options;
  engine_options.timeout = options.timeout;
  ipmi::Engine engine(loop, engine_options);
  for (const auto& e : endpoints) {
    if (e.method == "ipmi") {
      per_ipmi(engine, e);
    } else if (e.method == "redfish") {
      sink({e.node, "", "hardwaremanagement.method 'redfish' is not supported yet; use ipmi"});
    } else {
      sink({e.node, "", "hardwaremanagement.method '" + e.method + "' cannot control power or boot"});
    }
  }
  while (engine.busy()) loop.run_once(std::chrono::milliseconds(100));
  engine.close_all();
  while (engine.busy()) loop.run_once(std::chrono::milliseconds(100));
}

}  // namespace

void power(const std::vector<Endpoint>& endpoints, PowerAction action, bool show_previous, const Options& options,
           const ResultSink& sink) {
  run_all(endpoints, options, sink, [&](ipmi::Engine& engine, const Endpoint& e) {
    detail::ipmi_power(engine, e, action, show_previous, sink);
  });
}

void get_boot_device(const std::vector<Endpoint>& endpoints, const Options& options, const ResultSink& sink) {
  run_all(endpoints, options, sink,
          [&](ipmi::Engine& engine, const Endpoint& e) { detail::ipmi_get_boot(engine, e, sink); });
}

void set_boot_device(const std::vector<Endpoint>& endpoints, const BootRequest& request, const Options& options,
                     const ResultSink& sink) {
  run_all(endpoints, options, sink,
          [&](ipmi::Engine& engine, const Endpoint& e) { detail::ipmi_set_boot(engine, e, request, sink, nullptr); });
}

void boot(const std::vector<Endpoint>& endpoints, const BootRequest& request, const Options& options,
          const ResultSink& sink) {
  run_all(endpoints, options, sink, [&](ipmi::Engine& engine, const Endpoint& e) {
    Endpoint copy = e;
    detail::ipmi_set_boot(engine, e, request, sink, [&engine, copy, sink] {
      detail::ipmi_power(engine, copy, PowerAction::Boot, false, sink);
    });
  });
}

}  // namespace confluent::bmc
