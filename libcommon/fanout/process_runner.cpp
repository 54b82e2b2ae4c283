#include "fanout/process_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <unordered_map>

#include "base/error.h"
#include "fanout/event_loop.h"
#include "fanout/launcher.h"

namespace confluent::fanout {

namespace {

constexpr size_t kMaxLine = 1 << 20;  // a longer line without newline is passed on in pieces
constexpr size_t kReadChunk = 1 << 16;

struct Pipe {
  int fd = -1;
  std::string pending;  // bytes after the last newline
};

struct Running {
  Command command;
  pid_t pid = -1;
  Pipe out, err;
  bool reaped = false;
  bool timed_out = false;
  bool done = false;
  int status = 0;
  uint64_t timer = 0;
};

class Runner {
 public:
  Runner(std::vector<Command> commands, const RunOptions& options, ProcessSink& sink)
      : queue_(std::make_move_iterator(commands.begin()), std::make_move_iterator(commands.end())),
        options_(options),
        sink_(sink) {
    if (options_.concurrency == 0) options_.concurrency = 1;
    ensure_open_files(std::min(queue_.size(), options_.concurrency) * 3 + 64);
  }

  void run() {
    SignalGuard guard(loop_, [this](int sig) { stop_all(sig); });
    loop_.add(launcher_.fd(), EPOLLIN, [this](uint32_t) { reap_exits(); });
    while (!queue_.empty() || running_ > 0) {
      while (!queue_.empty() && running_ < options_.concurrency && !stopping_) start_next();
      if (stopping_ && running_ == 0) break;
      loop_.run_once(std::chrono::milliseconds(1000));
      sink_.flush();
    }
    sink_.flush();
    loop_.remove(launcher_.fd());
    if (stopping_) guard.reraise(stop_signal_);
  }

 private:
  // Blocks the stop signals and receives them through a signalfd in the loop.
  class SignalGuard {
   public:
    SignalGuard(EventLoop& loop, std::function<void(int)> on_signal) : loop_(loop) {
      sigemptyset(&mask_);
      for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&mask_, s);
      sigprocmask(SIG_BLOCK, &mask_, &old_);
      fd_ = signalfd(-1, &mask_, SFD_NONBLOCK | SFD_CLOEXEC);
      if (fd_ >= 0) {
        loop_.add(fd_, EPOLLIN, [this, on_signal](uint32_t) {
          signalfd_siginfo info{};
          while (::read(fd_, &info, sizeof info) == sizeof info) on_signal(static_cast<int>(info.ssi_signo));
        });
      }
    }
    ~SignalGuard() {
      if (fd_ >= 0) {
        loop_.remove(fd_);
        ::close(fd_);
      }
      sigprocmask(SIG_SETMASK, &old_, nullptr);
    }
    void reraise(int sig) {
      sigprocmask(SIG_SETMASK, &old_, nullptr);
      signal(sig, SIG_DFL);
      raise(sig);
    }

   private:
    EventLoop& loop_;
    sigset_t mask_{}, old_{};
    int fd_ = -1;
  };

  void start_next() {
    auto task = std::make_shared<Running>();
    task->command = std::move(queue_.front());
    queue_.pop_front();
    std::string error = spawn(*task);
    if (!error.empty()) {
      Outcome outcome;
      outcome.kind = Outcome::Kind::NotStarted;
      outcome.error = error;
      sink_.finished(task->command.node, outcome);
      return;
    }
    ++running_;
    live_.emplace(task->pid, task);
    watch_pipe(task, task->out, Stream::Out);
    watch_pipe(task, task->err, Stream::Err);
    if (options_.timeout) {
      task->timer = loop_.add_timer(EventLoop::Clock::now() + *options_.timeout, [this, task] {
        task->timer = 0;
        task->timed_out = true;
        ::kill(-task->pid, SIGKILL);
      });
    }
  }

  std::string spawn(Running& task) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
    if (pipe2(err, O_CLOEXEC) != 0) {
      ::close(out[0]);
      ::close(out[1]);
      return std::string("pipe: ") + std::strerror(errno);
    }
    std::string error;
    task.pid = launcher_.spawn(task.command.argv, out[1], err[1], error);
    ::close(out[1]);
    ::close(err[1]);
    if (task.pid < 0) {
      ::close(out[0]);
      ::close(err[0]);
      return error;
    }
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    task.out.fd = out[0];
    task.err.fd = err[0];
    return {};
  }

  void watch_pipe(const std::shared_ptr<Running>& task, Pipe& pipe, Stream stream) {
    loop_.add(pipe.fd, EPOLLIN | EPOLLRDHUP, [this, task, &pipe, stream](uint32_t) { drain(task, pipe, stream); });
  }

  void drain(const std::shared_ptr<Running>& task, Pipe& pipe, Stream stream) {
    char buf[kReadChunk];
    for (int rounds = 0; rounds < 4; ++rounds) {  // bounded, so one chatty node cannot starve others
      ssize_t n = ::read(pipe.fd, buf, sizeof buf);
      if (n > 0) {
        split_lines(task->command.node, pipe, stream, std::string_view(buf, static_cast<size_t>(n)));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      close_pipe(task, pipe, stream);
      return;
    }
  }

  void split_lines(const std::string& node, Pipe& pipe, Stream stream, std::string_view data) {
    size_t start = 0;
    for (size_t nl = data.find('\n'); nl != std::string_view::npos; nl = data.find('\n', start)) {
      if (pipe.pending.empty()) {
        sink_.line(node, stream, data.substr(start, nl - start), true);
      } else {
        pipe.pending.append(data.substr(start, nl - start));
        sink_.line(node, stream, pipe.pending, true);
        pipe.pending.clear();
      }
      start = nl + 1;
    }
    pipe.pending.append(data.substr(start));
    if (pipe.pending.size() >= kMaxLine) {
      sink_.line(node, stream, pipe.pending, true);
      pipe.pending.clear();
    }
  }

  void close_pipe(const std::shared_ptr<Running>& task, Pipe& pipe, Stream stream) {
    if (pipe.fd < 0) return;
    if (!pipe.pending.empty()) sink_.line(task->command.node, stream, pipe.pending, false);
    pipe.pending.clear();
    loop_.remove(pipe.fd);
    ::close(pipe.fd);
    pipe.fd = -1;
    maybe_finish(task);
  }

  void reap_exits() {
    for (const auto& exit : launcher_.take_exits()) {
      auto it = live_.find(exit.pid);
      if (it == live_.end()) continue;
      auto task = it->second;
      live_.erase(it);
      reap(task, exit.status);
    }
  }

  void reap(const std::shared_ptr<Running>& task, int status) {
    task->reaped = true;
    task->status = status;
    if (task->timed_out) {  // whatever still holds the pipes is not waited for
      close_pipe(task, task->out, Stream::Out);
      close_pipe(task, task->err, Stream::Err);
    }
    maybe_finish(task);
  }

  void maybe_finish(const std::shared_ptr<Running>& task) {
    if (task->done || !task->reaped || task->out.fd >= 0 || task->err.fd >= 0) return;
    task->done = true;
    if (task->timer) loop_.cancel_timer(task->timer);
    Outcome outcome;
    if (task->timed_out) {
      outcome.kind = Outcome::Kind::TimedOut;
    } else if (WIFSIGNALED(task->status)) {
      outcome.kind = Outcome::Kind::Signaled;
      outcome.code = WTERMSIG(task->status);
    } else {
      outcome.code = WEXITSTATUS(task->status);
    }
    --running_;
    sink_.finished(task->command.node, outcome);
  }

  void stop_all(int sig) {
    stopping_ = true;
    stop_signal_ = sig;
    queue_.clear();
    // Every running command is in its own process group; stop the whole of each.
    for (const auto& [pid, _] : live_) ::kill(-pid, SIGTERM);
  }

  std::deque<Command> queue_;
  RunOptions options_;
  ProcessSink& sink_;
  EventLoop loop_;
  size_t running_ = 0;
  bool stopping_ = false;
  int stop_signal_ = 0;
  std::unordered_map<pid_t, std::shared_ptr<Running>> live_;
  Launcher launcher_;
};

}  // namespace

void run_commands(std::vector<Command> commands, const RunOptions& options, ProcessSink& sink) {
  Runner runner(std::move(commands), options, sink);
  runner.run();
}

}  // namespace confluent::fanout
