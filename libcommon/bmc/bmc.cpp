// Dispatch by hardwaremanagement.method, and the event loop every node of a run shares:
// IPMI nodes on the IPMI engine, Redfish nodes as coroutines over one libcurl transport.
#include "bmc/bmc.h"

#include <deque>
#include <memory>

#include "base/paths.h"
#include "bmc/ipmi_driver.h"
#include "bmc/power_plan.h"
#include "bmc/redfish_driver.h"
#include "fanout/event_loop.h"
#include "fanout/task.h"

namespace confluent::bmc {

namespace detail {

PowerPlan plan_power(PowerAction action, bool was_on, bool show_previous) {
  PowerPlan plan;
  bool ends_on = action != PowerAction::Off && action != PowerAction::Shutdown;
  // A reset leaves a node "on" as it was; say what happened instead of on->on.
  plan.resets = action == PowerAction::Reset || (action == PowerAction::Boot && was_on);
  plan.text = plan.resets ? "reset" : ends_on ? "on" : "off";
  if (show_previous) plan.text = std::string(was_on ? "on" : "off") + "->" + plan.text;
  plan.act = plan.resets || was_on != ends_on;
  return plan;
}

}  // namespace detail

namespace {

using IpmiFn = std::function<void(ipmi::Engine&, const Endpoint&)>;
using RedfishFn = std::function<fanout::Task<void>(redfish::Session&)>;

redfish::Target redfish_target(const Endpoint& e, const Options& options) {
  redfish::Target t;
  t.node = e.node;
  t.address = e.address;
  t.user = e.user;
  t.password = e.password;
  t.trust.policy = redfish::parse_policy(e.tls_policy);
  t.trust.pinned = e.tls_pin;
  t.trust.ca_file = options.ca_file;
  return t;
}

// Runs a node's exchange, reports its failure, and always logs out.
fanout::Task<void> guarded(redfish::Session& session, RedfishFn body, ResultSink sink) {
  std::string error;
  try {
    co_await body(session);
  } catch (const std::exception& e) {
    error = e.what();
  }
  co_await session.close();
  if (!error.empty()) sink({session.target().node, "", error});
}

// Runs every endpoint at once on one loop, IPMI ones through `per_ipmi` (null: not
// supported) and Redfish ones through `per_redfish`, at most options.concurrency Redfish
// nodes in flight; returns when every node has answered or timed out.
void run_all(const std::vector<Endpoint>& endpoints, const Options& options, const ResultSink& sink,
             const IpmiFn& per_ipmi, const RedfishFn& per_redfish, const char* ipmi_refusal = nullptr) {
  fanout::ensure_open_files(std::min<size_t>(endpoints.size(), options.concurrency) * 2 + 64);
  fanout::EventLoop loop;
  ipmi::EngineOptions engine_options;
  engine_options.timeout = options.timeout;
  ipmi::Engine engine(loop, engine_options);
  redfish::Transport transport(loop);
  redfish::ClientOptions client_options;
  client_options.timeout = options.timeout;

  std::deque<const Endpoint*> waiting;
  size_t active = 0;
  std::vector<std::unique_ptr<redfish::Session>> sessions;
  std::function<void()> start_next = [&] {
    while (!waiting.empty() && active < std::max<size_t>(options.concurrency, 1)) {
      const Endpoint* e = waiting.front();
      waiting.pop_front();
      try {
        sessions.push_back(std::make_unique<redfish::Session>(loop, transport, redfish_target(*e, options), client_options));
      } catch (const std::exception& ex) {
        sink({e->node, "", ex.what()});
        continue;
      }
      redfish::Session* s = sessions.back().get();
      ++active;
      fanout::spawn(guarded(*s, per_redfish, sink), [&, s](std::exception_ptr) {
        const redfish::TlsTrust& trust = s->target().trust;
        if (trust.learned && options.learned_certificate) options.learned_certificate(s->target().node, trust.presented);
        --active;
        // Started from a timer so that this session's frame is gone before the next begins.
        loop.add_timer(fanout::EventLoop::Clock::now(), [&] { start_next(); });
      });
    }
  };

  for (const auto& e : endpoints) {
    if (e.method == "ipmi") {
      if (per_ipmi) {
        per_ipmi(engine, e);
      } else {
        sink({e.node, "", ipmi_refusal ? ipmi_refusal : "not supported over IPMI"});
      }
    } else if (e.method == "redfish") {
      waiting.push_back(&e);
    } else {
      sink({e.node, "", "hardwaremanagement.method '" + e.method + "' has no BMC to drive (ipmi or redfish)"});
    }
  }
  start_next();
  while (engine.busy() || active > 0 || !waiting.empty()) loop.run_once(std::chrono::milliseconds(100));
  engine.close_all();
  while (engine.busy() || transport.busy()) loop.run_once(std::chrono::milliseconds(100));
}

const char* const kMediaOverIpmi = "virtual media needs hardwaremanagement.method=redfish";

}  // namespace

void power(const std::vector<Endpoint>& endpoints, PowerAction action, bool show_previous, const Options& options,
           const ResultSink& sink) {
  run_all(
      endpoints, options, sink,
      [&](ipmi::Engine& engine, const Endpoint& e) { detail::ipmi_power(engine, e, action, show_previous, sink); },
      [&](redfish::Session& s) { return detail::redfish_power(s, action, show_previous, sink); });
}

void get_boot_device(const std::vector<Endpoint>& endpoints, const Options& options, const ResultSink& sink) {
  run_all(
      endpoints, options, sink, [&](ipmi::Engine& engine, const Endpoint& e) { detail::ipmi_get_boot(engine, e, sink); },
      [&](redfish::Session& s) { return detail::redfish_get_boot(s, sink); });
}

void set_boot_device(const std::vector<Endpoint>& endpoints, const BootRequest& request, const Options& options,
                     const ResultSink& sink) {
  run_all(
      endpoints, options, sink,
      [&](ipmi::Engine& engine, const Endpoint& e) { detail::ipmi_set_boot(engine, e, request, sink, nullptr); },
      [&](redfish::Session& s) { return detail::redfish_set_boot(s, request, false, sink); });
}

void boot(const std::vector<Endpoint>& endpoints, const BootRequest& request, const Options& options,
          const ResultSink& sink) {
  run_all(
      endpoints, options, sink,
      [&](ipmi::Engine& engine, const Endpoint& e) {
        Endpoint copy = e;
        detail::ipmi_set_boot(engine, e, request, sink, [&engine, copy, sink] {
          detail::ipmi_power(engine, copy, PowerAction::Boot, false, sink);
        });
      },
      [&](redfish::Session& s) { return detail::redfish_set_boot(s, request, true, sink); });
}

void media_list(const std::vector<Endpoint>& endpoints, const Options& options, const ResultSink& sink) {
  run_all(endpoints, options, sink, nullptr, [&](redfish::Session& s) { return detail::redfish_media_list(s, sink); },
          kMediaOverIpmi);
}

void media_attach(const std::vector<Endpoint>& endpoints, const std::function<std::string(const std::string&)>& url_for,
                  const Options& options, const ResultSink& sink) {
  run_all(
      endpoints, options, sink, nullptr,
      [&](redfish::Session& s) { return detail::redfish_media_attach(s, url_for(s.target().node), sink); },
      kMediaOverIpmi);
}

void media_detach_all(const std::vector<Endpoint>& endpoints, const Options& options, const ResultSink& sink) {
  run_all(endpoints, options, sink, nullptr, [&](redfish::Session& s) { return detail::redfish_media_detach(s, sink); },
          kMediaOverIpmi);
}

void media_upload(const std::vector<Endpoint>& endpoints, const UploadRequest& request, const Options& options,
                  const ResultSink& sink) {
  run_all(
      endpoints, options, sink, nullptr,
      [&](redfish::Session& s) {
        return detail::redfish_media_upload(s, request.file_for(s.target().node), request, sink);
      },
      kMediaOverIpmi);
}

}  // namespace confluent::bmc
