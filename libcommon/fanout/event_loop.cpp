#include "fanout/event_loop.h"

#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "base/error.h"

namespace confluent::fanout {

EventLoop::EventLoop() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_fd_ < 0) throw Error(ErrorKind::Runtime, std::string("epoll_create1: ") + std::strerror(errno));
}

EventLoop::~EventLoop() { ::close(epoll_fd_); }

void EventLoop::add(int fd, uint32_t events, Handler handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    throw Error(ErrorKind::Runtime, std::string("epoll_ctl: ") + std::strerror(errno));
  }
  handlers_[fd] = std::move(handler);
}

void EventLoop::modify(int fd, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::remove(int fd) {
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  handlers_.erase(fd);
}

uint64_t EventLoop::add_timer(Clock::time_point when, std::function<void()> fn) {
  uint64_t id = next_timer_++;
  timers_.emplace(when, id);
  timer_fns_.emplace(id, std::make_pair(when, std::move(fn)));
  return id;
}

void EventLoop::cancel_timer(uint64_t id) {
  auto it = timer_fns_.find(id);
  if (it == timer_fns_.end()) return;
  auto [first, last] = timers_.equal_range(it->second.first);
  for (auto t = first; t != last; ++t) {
    if (t->second == id) {
      timers_.erase(t);
      break;
    }
  }
  timer_fns_.erase(it);
}

void EventLoop::run_once(std::chrono::milliseconds max_wait) {
  auto now = Clock::now();
  auto wait = max_wait;
  if (!timers_.empty()) {
    auto until = std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first - now);
    wait = std::clamp(until, std::chrono::milliseconds(0), max_wait);
  }
  std::vector<epoll_event> events(256);
  int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), static_cast<int>(wait.count()));
  if (n < 0 && errno != EINTR) throw Error(ErrorKind::Runtime, std::string("epoll_wait: ") + std::strerror(errno));
  for (int i = 0; i < n; ++i) {
    auto it = handlers_.find(events[i].data.fd);
    if (it == handlers_.end()) continue;  // removed by an earlier handler of this round
    Handler h = it->second;               // the handler may remove itself
    h(events[i].events);
  }
  now = Clock::now();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    uint64_t id = timers_.begin()->second;
    timers_.erase(timers_.begin());
    auto fn = std::move(timer_fns_[id].second);
    timer_fns_.erase(id);
    fn();
  }
}

size_t ensure_open_files(size_t wanted) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < wanted) {
    lim.rlim_cur = (lim.rlim_max == RLIM_INFINITY || lim.rlim_max > wanted) ? wanted : lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return lim.rlim_cur == RLIM_INFINITY ? wanted : static_cast<size_t>(lim.rlim_cur);
}

}  // namespace confluent::fanout
