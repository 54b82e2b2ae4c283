#include "sim_fleet.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace ipmi_test {

namespace {

namespace fs = std::filesystem;

std::string fleet_script() { return (fs::path(__FILE__).parent_path() / "../../integration/ipmi/fleet.sh").string(); }

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = pclose(pipe);
  INFO(command << "\n" << output);
  REQUIRE(status != -1);
  return output;
}

}  // namespace

SimFleet::SimFleet(size_t count, bool ipv6) {
  REQUIRE(count <= 250);
  char tmpl[] = "/tmp/ipmi-sim-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  dir_ = tmpl;
  std::random_device random;
  if (geteuid() == 0 && !ipv6) {
    prefix_ = "127." + std::to_string(50 + random() % 150) + "." + std::to_string(random() % 256) + ".";
    for (size_t i = 0; i < count; ++i) addresses_.push_back(prefix_ + std::to_string(i + 1));
  } else {
    base_port_ = 20000 + static_cast<int>(random() % 30000);
    std::string host = ipv6 ? "[::1]:" : "127.0.0.1:";
    for (size_t i = 0; i < count; ++i) addresses_.push_back(host + std::to_string(base_port_ + i));
  }
  std::string command = fleet_script() + " start " + dir_;
  for (const auto& a : addresses_) command += " " + (prefix_.empty() ? a : a + ":623");
  std::string output = run(command + "; echo rc=$?");
  INFO(output);
  REQUIRE(output.find("rc=0") != std::string::npos);
}

SimFleet::~SimFleet() {
  std::system((fleet_script() + " stop " + dir_ + " >/dev/null 2>&1").c_str());
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string SimFleet::unused_address() const {
  if (!prefix_.empty()) return prefix_ + "254";
  return addresses_[0].substr(0, addresses_[0].rfind(':') + 1) + std::to_string(base_port_ + 260);
}

confluent::ipmi::Target SimFleet::target(size_t i, const std::string& password) const {
  return confluent::ipmi::Target{"n" + std::to_string(i), addresses_[i], "admin", password, ""};
}

std::string SimFleet::state(size_t i, const std::string& name) const {
  std::ifstream in(dir_ + "/bmc" + std::to_string(i) + "/chassis/" + name);
  std::string value;
  std::getline(in, value);
  return value;
}

void SimFleet::set_state(size_t i, const std::string& name, const std::string& value) const {
  fs::create_directories(dir_ + "/bmc" + std::to_string(i) + "/chassis");
  std::ofstream(dir_ + "/bmc" + std::to_string(i) + "/chassis/" + name) << value << "\n";
}

void SimFleet::kill(size_t i) const {
  std::string output = run(fleet_script() + " kill " + dir_ + " " + std::to_string(i) + "; echo rc=$?");
  INFO(output);
  REQUIRE(output.find("rc=0") != std::string::npos);
}

std::string SimFleet::ipmitool(size_t i, const std::string& args) const {
  std::string host = addresses_[i];
  std::string port = "623";
  if (auto colon = host.rfind(':'); colon != std::string::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.front() == '[') host = host.substr(1, host.size() - 2);
  return run("timeout 20 ipmitool -I lanplus -C 3 -U admin -P secret -H " + host + " -p " + port + " " + args);
}

void drain(confluent::fanout::EventLoop& loop, confluent::ipmi::Engine& engine, std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (engine.busy() && std::chrono::steady_clock::now() < until) loop.run_once(std::chrono::milliseconds(50));
  REQUIRE_FALSE(engine.busy());
}

confluent::ipmi::Reply into(Outcome& outcome, std::chrono::steady_clock::time_point start) {
  return [&outcome, start](const confluent::ipmi::Response* r, const std::string& error) {
    ++outcome.calls;
    if (r) outcome.response = *r;
    outcome.error = error;
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
}

}  // namespace ipmi_test
