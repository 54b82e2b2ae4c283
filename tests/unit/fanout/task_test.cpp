// Coroutines on the event loop: values and exceptions travel to the awaiting caller, timers
// resume in order, and spawn() reports how a top-level task ended.
#include "fanout/task.h"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using namespace confluent::fanout;
using namespace std::chrono_literals;

namespace {

Task<int> add_later(EventLoop& loop, int a, int b) {
  co_await sleep_for(loop, 5ms);
  co_return a + b;
}

Task<void> record(EventLoop& loop, std::vector<std::string>& log, std::string name, std::chrono::milliseconds d) {
  co_await sleep_for(loop, d);
  int sum = co_await add_later(loop, 1, 2);
  log.push_back(name + "=" + std::to_string(sum));
}

Task<void> fail_after(EventLoop& loop) {
  co_await sleep_for(loop, 1ms);
  throw std::runtime_error("boom");
}

Task<void> catch_inner(EventLoop& loop, std::string& seen) {
  try {
    co_await fail_after(loop);
  } catch (const std::exception& e) {
    seen = e.what();
  }
}

void drain(EventLoop& loop, const int& pending) {
  for (int i = 0; i < 200 && pending > 0; ++i) loop.run_once(20ms);
}

}  // namespace

TEST_CASE("tasks interleave on one loop and finish in timer order", "[fanout]") {
  EventLoop loop;
  std::vector<std::string> log;
  int pending = 2;
  spawn(record(loop, log, "slow", 30ms), [&](std::exception_ptr e) { CHECK(!e); --pending; });
  spawn(record(loop, log, "fast", 1ms), [&](std::exception_ptr e) { CHECK(!e); --pending; });
  drain(loop, pending);
  REQUIRE(pending == 0);
  CHECK(log == std::vector<std::string>{"fast=3", "slow=3"});
}

TEST_CASE("an exception reaches the awaiting coroutine, or spawn's callback", "[fanout]") {
  EventLoop loop;
  int pending = 2;
  std::string seen;
  spawn(catch_inner(loop, seen), [&](std::exception_ptr e) { CHECK(!e); --pending; });
  std::string top;
  spawn(fail_after(loop), [&](std::exception_ptr e) {
    try {
      if (e) std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      top = ex.what();
    }
    --pending;
  });
  drain(loop, pending);
  CHECK(seen == "boom");
  CHECK(top == "boom");
}
