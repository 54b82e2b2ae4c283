#pragma once
// A fleet of real OpenIPMI ipmi_sim BMCs on loopback for the engine tests, started and
// stopped through tests/integration/ipmi/fleet.sh. As root, BMC i listens on
// 127.A.B.(i+1):623 in a subnet picked at random (several test runs may share the machine);
// otherwise on 127.0.0.1 at random high ports; with `ipv6`, on [::1] at random high ports.
// User admin, password secret.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ipmi/engine.h"

namespace ipmi_test {

class SimFleet {
 public:
  explicit SimFleet(size_t count, bool ipv6 = false);
  ~SimFleet();
  SimFleet(const SimFleet&) = delete;
  SimFleet& operator=(const SimFleet&) = delete;

  size_t size() const { return addresses_.size(); }
  const std::string& address(size_t i) const { return addresses_[i]; }
  // An address in the fleet's subnet (or port range) where nothing listens.
  std::string unused_address() const;
  confluent::ipmi::Target target(size_t i, const std::string& password = "secret") const;

  // The simulated machine's state files (power, boot, last_reset, last_shutdown), trimmed.
  std::string state(size_t i, const std::string& name) const;
  void set_state(size_t i, const std::string& name, const std::string& value) const;
  void kill(size_t i) const;  // SIGKILL, returns once the socket is gone
  // `ipmitool -I lanplus -C 3 -U admin -P secret -H ... <args>`: its stdout and stderr.
  std::string ipmitool(size_t i, const std::string& args) const;

 private:
  std::string dir_;
  std::string prefix_;  // "127.A.B." in address mode, empty in port mode
  int base_port_ = 0;
  std::vector<std::string> addresses_;
};

// The answer or error of one request, and how long it took, kept for the checks after the
// loop ran.
struct Outcome {
  int calls = 0;
  std::optional<confluent::ipmi::Response> response;
  std::string error;
  double seconds = 0;
};
confluent::ipmi::Reply into(Outcome& outcome,
                            std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now());

// Runs the loop until the engine has nothing in flight, at most `limit` long.
void drain(confluent::fanout::EventLoop& loop, confluent::ipmi::Engine& engine, std::chrono::milliseconds limit);

}  // namespace ipmi_test
