#include "fanout/task.h"

namespace confluent::fanout {

namespace {

// A coroutine that owns itself: runs eagerly and frees its frame when it ends.
struct Detached {
  struct promise_type {
    Detached get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }  // run() below catches everything
  };
};

Detached run(Task<void> task, std::function<void(std::exception_ptr)> done) {
  std::exception_ptr error;
  try {
    co_await task;
  } catch (...) {
    error = std::current_exception();
  }
  done(error);
}

}  // namespace

void spawn(Task<void> task, std::function<void(std::exception_ptr)> done) { run(std::move(task), std::move(done)); }

}  // namespace confluent::fanout
