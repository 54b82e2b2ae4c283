// Engine faults against real ipmi_sim BMCs: nobody listening, a silent peer, a wrong
// password, a BMC killed in the middle of a run; and many BMCs at once.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>

#include "ipmi/chassis.h"
#include "ipmi/engine.h"
#include "sim_fleet.h"

using namespace confluent::ipmi;
using confluent::fanout::EventLoop;
using ipmi_test::drain;
using ipmi_test::into;
using ipmi_test::Outcome;
using ipmi_test::SimFleet;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// A UDP socket on loopback that never answers: a BMC that is down behind a router.
struct SilentPeer {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int port = 0;
  SilentPeer() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port = ntohs(addr.sin_port);
  }
  ~SilentPeer() { close(fd); }
};

}  // namespace

TEST_CASE("ipmi engine: unreachable BMCs fail within the timeout while the others answer", "[ipmi][ipmi_sim]") {
  SimFleet fleet(2);
  SilentPeer silent;
  EventLoop loop;
  EngineOptions options;
  options.timeout = milliseconds(1500);
  Engine engine(loop, options);
  Outcome good0, good1, refused, quiet;
  auto start = Clock::now();
  engine.send(fleet.target(0), get_chassis_status_request(), into(good0, start));
  engine.send(Target{"x", fleet.unused_address(), "admin", "secret", ""}, get_chassis_status_request(),
              into(refused, start));
  engine.send(Target{"y", "127.0.0.1:" + std::to_string(silent.port), "admin", "secret", ""},
              get_chassis_status_request(), into(quiet, start));
  engine.send(fleet.target(1), get_chassis_status_request(), into(good1, start));
  drain(loop, engine, milliseconds(4000));
  CHECK(good0.response);
  CHECK(good1.response);
  CHECK(good0.seconds < 1.0);
  REQUIRE(refused.calls == 1);
  CHECK_FALSE(refused.response);
  CHECK(refused.error == "BMC '" + fleet.unused_address() + "' refused the connection (nothing listens on its port)");
  CHECK(refused.seconds < 1.0);  // ICMP port unreachable: no need to wait for the timeout
  REQUIRE(quiet.calls == 1);
  CHECK(quiet.error == "no answer from BMC '127.0.0.1:" + std::to_string(silent.port) + "' within 1.5 s");
  CHECK(quiet.seconds >= 1.45);
  CHECK(quiet.seconds < 2.0);
  CHECK(engine.stats().retransmissions >= 2);  // 250 ms, 500 ms... before giving up
}

TEST_CASE("ipmi engine: a malformed address or user name fails on a loop round, never inside send()", "[ipmi]") {
  EventLoop loop;
  Engine engine(loop, {});
  Outcome port, user;
  engine.send(Target{"n1", "bmc1:99999", "admin", "secret", ""}, get_chassis_status_request(), into(port));
  engine.send(Target{"n2", "127.0.0.1", std::string(17, 'u'), "secret", ""}, get_chassis_status_request(), into(user));
  CHECK(port.calls == 0);
  CHECK(user.calls == 0);
  CHECK(engine.busy());
  drain(loop, engine, milliseconds(1000));
  CHECK(port.calls == 1);
  CHECK(port.error == "bad port in BMC address 'bmc1:99999'");
  CHECK(user.calls == 1);
  CHECK(user.error == "the user name is longer than 16 bytes");
}

TEST_CASE("ipmi engine: a wrong password or user is a clear per-BMC error, the others succeed", "[ipmi][ipmi_sim]") {
  SimFleet fleet(3);
  EventLoop loop;
  Engine engine(loop, {});
  Outcome wrong, good, nobody;
  engine.send(fleet.target(0, "not-secret"), get_chassis_status_request(), into(wrong));
  engine.send(fleet.target(1), get_chassis_status_request(), into(good));
  Target unknown = fleet.target(2);
  unknown.user = "mallory";
  engine.send(unknown, get_chassis_status_request(), into(nobody));
  drain(loop, engine, milliseconds(6000));
  CHECK_FALSE(wrong.response);
  CHECK(wrong.error == "authentication failed: wrong user name or password");
  CHECK(wrong.seconds < 1.0);
  CHECK(good.response);
  CHECK_FALSE(nobody.response);
  CHECK(nobody.error.rfind("authentication failed: ", 0) == 0);
}

TEST_CASE("ipmi engine: a BMC killed in the middle of a run fails alone and fast", "[ipmi][ipmi_sim]") {
  SimFleet fleet(3);
  EventLoop loop;
  EngineOptions options;
  options.timeout = milliseconds(2000);
  Engine engine(loop, options);
  std::vector<Outcome> first(3), second(3);
  for (size_t i = 0; i < 3; ++i) {
    Target t = fleet.target(i);
    engine.send(t, get_chassis_status_request(), [&, i, t](const Response* r, const std::string& e) {
      into(first[i])(r, e);
      if (i == 1) fleet.kill(1);  // dies with its session open
      engine.send(t, chassis_control_request(ChassisAction::PowerOn), into(second[i]));
    });
  }
  drain(loop, engine, milliseconds(5000));
  for (size_t i = 0; i < 3; ++i) CHECK(first[i].response);
  CHECK(second[0].response);
  CHECK(second[2].response);
  REQUIRE(second[1].calls == 1);
  CHECK_FALSE(second[1].response);
  CHECK(second[1].error.find("refused the connection") != std::string::npos);
  CHECK(fleet.state(0, "power") == "1");
  CHECK(fleet.state(1, "power") != "1");
  CHECK(fleet.state(2, "power") == "1");
}

TEST_CASE("ipmi engine: power status of 50 BMCs in one loop answers them all within two seconds", "[ipmi][ipmi_sim]") {
  const size_t count = 50;
  SimFleet fleet(count);
  EventLoop loop;
  Engine engine(loop, {});
  std::vector<Outcome> status(count);
  auto start = Clock::now();
  for (size_t i = 0; i < count; ++i) engine.send(fleet.target(i), get_chassis_status_request(), into(status[i], start));
  drain(loop, engine, milliseconds(10000));
  double status_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  engine.close_all();
  drain(loop, engine, milliseconds(6000));
  double total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  size_t answered = 0;
  for (const auto& s : status) answered += s.response ? 1 : 0;
  CHECK(answered == count);
  CHECK(engine.stats().sessions_closed == count);
  WARN("power status of " << count << " BMCs: " << status_seconds << " s, with close: " << total_seconds
                          << " s, retransmissions: " << engine.stats().retransmissions);
  CHECK(status_seconds < 2.0);
}
