#pragma once
// IPMI over LAN for many BMCs at once, on one fanout::EventLoop: one UDP socket and one
// RMCP+ session per BMC, requests to the same BMC queued and sent over that one session,
// retransmission with exponential backoff and jitter, and a timeout per BMC.
//
//   Engine engine(loop, {});
//   engine.send(target, chassis::get_status_request(), [](const Response* r, const std::string& error) {...});
//   while (engine.busy()) loop.run_once(std::chrono::milliseconds(100));
//   engine.close_all();
//   while (engine.busy()) loop.run_once(std::chrono::milliseconds(100));
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fanout/event_loop.h"

namespace confluent::ipmi {

struct Target {
  std::string node;     // for the caller's bookkeeping; the engine does not use it
  std::string address;  // host, host:port, [v6] or [v6]:port; port 623 by default
  std::string user;
  std::string password;
  std::string kg;  // BMC key, raw or 0x + 40 hex digits; empty when the BMC has none
};

struct Request {
  uint8_t netfn = 0;
  uint8_t cmd = 0;
  std::vector<uint8_t> data;
};

struct Response {
  uint8_t completion_code = 0;  // non-zero codes are answers too: the typed helpers judge them
  std::vector<uint8_t> data;
};

// Called exactly once per request, from inside loop.run_once() (never from send()), with
// either a response (and an empty error) or a null response and an error for the node,
// such as "authentication failed: wrong user name or password".
using Reply = std::function<void(const Response* response, const std::string& error)>;

struct EngineOptions {
  // From the moment a BMC starts on a request (including opening its session) to its answer.
  std::chrono::milliseconds timeout{5000};
  std::chrono::milliseconds first_retry{250};  // then doubled each time, with +-10% jitter
  int privilege = 4;                           // 4 administrator, 3 operator, 2 user
};

// Counters for tests and benchmarks.
struct EngineStats {
  size_t sessions_opened = 0;  // handshakes that reached the open state
  size_t sessions_closed = 0;  // Close Session acknowledged by the BMC
  size_t retransmissions = 0;
};

class Engine {
 public:
  Engine(fanout::EventLoop& loop, EngineOptions options = {});
  ~Engine();  // drops everything in flight without calling the replies
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Queues `request` for the target's BMC, opening a session or reusing the open one (a
  // session is shared by targets with the same address and credentials). Replies may call
  // send() again, to chain commands.
  void send(const Target& target, Request request, Reply reply);
  // Closes every open session once its queue is empty (best effort, bounded by the timeout).
  void close_all();
  // Requests, session openings or closings still in flight.
  bool busy() const;
  const EngineStats& stats() const { return stats_; }

  struct Bmc;  // per-BMC state, in engine.cpp

 private:
  friend struct Bmc;
  fanout::EventLoop& loop_;
  EngineOptions options_;
  std::map<std::string, std::unique_ptr<Bmc>> bmcs_;
  EngineStats stats_;
  size_t open_sockets_ = 0;
  size_t socket_limit_ = 0;
};

}  // namespace confluent::ipmi
