#pragma once
// Coroutines on the event loop: a per-node exchange (log in, read, patch, poll a task, log
// out) is written as straight-line code with `co_await`, while hundreds of them interleave on
// one thread. Task<T> is lazy and awaited by its caller; spawn() starts a top-level one.
#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "fanout/event_loop.h"

namespace confluent::fanout {

namespace detail {

struct PromiseBase {
  std::coroutine_handle<> continuation;
  std::exception_ptr error;

  std::suspend_always initial_suspend() noexcept { return {}; }
  struct Final {
    bool await_ready() noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      auto next = h.promise().continuation;
      return next ? next : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  Final final_suspend() noexcept { return {}; }
  void unhandled_exception() { error = std::current_exception(); }
};

}  // namespace detail

template <class T = void>
class Task;

namespace detail {

template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object();
  void return_value(T v) { value = std::move(v); }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object();
  void return_void() {}
};

}  // namespace detail

// Owns its coroutine; `co_await task` runs it and gives its value (or its exception).
template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
    handle_.promise().continuation = caller;
    return handle_;
  }
  T await_resume() {
    if (handle_.promise().error) std::rethrow_exception(handle_.promise().error);
    if constexpr (!std::is_void_v<T>) return std::move(*handle_.promise().value);
  }

 private:
  friend promise_type;
  explicit Task(std::coroutine_handle<promise_type> h) : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

namespace detail {

template <class T>
Task<T> Promise<T>::get_return_object() {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}

inline Task<void> Promise<void>::get_return_object() {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

}  // namespace detail

// Starts `task` now; `done` gets its exception (null on success) when it ends.
void spawn(Task<void> task, std::function<void(std::exception_ptr)> done);

// co_await sleep_for(loop, d): resumes from the loop's timer after `d`.
struct SleepFor {
  EventLoop& loop;
  EventLoop::Clock::duration delay;
  bool await_ready() const noexcept { return delay <= EventLoop::Clock::duration::zero(); }
  void await_suspend(std::coroutine_handle<> h) {
    loop.add_timer(EventLoop::Clock::now() + delay, [h] { h.resume(); });
  }
  void await_resume() noexcept {}
};
inline SleepFor sleep_for(EventLoop& loop, EventLoop::Clock::duration delay) { return SleepFor{loop, delay}; }

}  // namespace confluent::fanout
