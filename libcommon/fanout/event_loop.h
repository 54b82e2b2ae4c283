#pragma once
// One epoll loop for every per-node task of a run: file descriptors with handlers, and
// timers. Single-threaded; handlers may add and remove descriptors and timers.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>

namespace confluent::fanout {

class EventLoop {
 public:
  using Clock = std::chrono::steady_clock;
  using Handler = std::function<void(uint32_t events)>;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // `events` are EPOLLIN/EPOLLOUT/...; the handler gets what happened.
  void add(int fd, uint32_t events, Handler handler);
  void modify(int fd, uint32_t events);
  void remove(int fd);

  uint64_t add_timer(Clock::time_point when, std::function<void()> fn);
  void cancel_timer(uint64_t id);

  // Waits until something happens or the next timer is due (at most `max_wait`), then runs
  // the handlers and due timers.
  void run_once(std::chrono::milliseconds max_wait);
  bool idle() const { return handlers_.empty() && timers_.empty(); }

 private:
  int epoll_fd_ = -1;
  std::unordered_map<int, Handler> handlers_;
  std::multimap<Clock::time_point, uint64_t> timers_;
  std::unordered_map<uint64_t, std::pair<Clock::time_point, std::function<void()>>> timer_fns_;
  uint64_t next_timer_ = 1;
};

// Raises the soft limit on open files (towards the hard limit) so that `wanted`
// descriptors fit; returns the limit now in force.
size_t ensure_open_files(size_t wanted);

}  // namespace confluent::fanout
