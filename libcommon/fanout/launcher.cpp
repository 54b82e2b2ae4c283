#include "fanout/launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/error.h"

extern char** environ;

namespace confluent::fanout {

namespace {

constexpr size_t kMaxRequest = 1 << 20;

enum class Kind : int32_t { Spawned = 1, Exited = 2 };
struct Reply {
  Kind kind;
  int32_t pid;
  int32_t value;  // errno for Spawned, wait status for Exited
};

void send_reply(int sock, Kind kind, pid_t pid, int value) {
  Reply r{kind, pid, value};
  while (::send(sock, &r, sizeof r, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

// Receives one request: NUL-separated argv and two descriptors.
bool read_request(int sock, std::vector<char>& buf, std::string& request, int fds[2]) {
  msghdr msg{};
  iovec iov{buf.data(), buf.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(2 * sizeof(int))];
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  if (n <= 0) return false;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS) return false;
  std::memcpy(fds, CMSG_DATA(c), 2 * sizeof(int));
  request.assign(buf.data(), static_cast<size_t>(n));
  return true;
}

int spawn_one(std::string& request, int out_fd, int err_fd, pid_t& pid) {
  std::vector<char*> argv;
  for (size_t i = 0; i < request.size(); i += std::strlen(&request[i]) + 1) argv.push_back(&request[i]);
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigfillset(&defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group, so a timeout stops the whole tree
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  int rc = argv[0] ? posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ) : ENOENT;
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return rc;
}

[[noreturn]] void serve(int sock) {
  // Stop signals are the parent's business: it stops the commands and needs this process
  // to go on reporting their exits.
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) signal(s, SIG_IGN);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, nullptr);
  int sig = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  std::vector<char> buf(kMaxRequest);
  std::string request;
  while (true) {
    pollfd fds[2] = {{sock, POLLIN, 0}, {sig, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) _exit(1);
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo info;
      while (::read(sig, &info, sizeof info) == sizeof info) {
      }
      int status;
      for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;) send_reply(sock, Kind::Exited, pid, status);
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      int io[2];
      if (!read_request(sock, buf, request, io)) _exit(0);  // the run is over
      pid_t pid = -1;
      int rc = spawn_one(request, io[0], io[1], pid);
      ::close(io[0]);
      ::close(io[1]);
      send_reply(sock, Kind::Spawned, rc == 0 ? pid : -1, rc);
    }
  }
}

}  // namespace

Launcher::Launcher() {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    throw Error(ErrorKind::Runtime, std::string("socketpair: ") + std::strerror(errno));
  }
  int size = static_cast<int>(kMaxRequest + 4096);
  setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  pid_ = fork();
  if (pid_ < 0) throw Error(ErrorKind::Runtime, std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    ::close(sv[0]);
    if (sv[1] != 3) {
      ::dup2(sv[1], 3);
      ::close(sv[1]);
    }
    ::close_range(4, ~0U, 0);
    serve(3);
  }
  ::close(sv[1]);
  socket_ = sv[0];
}

Launcher::~Launcher() {
  ::close(socket_);
  int status;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

pid_t Launcher::spawn(const std::vector<std::string>& argv, int out_fd, int err_fd, std::string& error) {
  std::string request;
  for (const auto& a : argv) request.append(a).push_back('\0');
  if (argv.empty() || request.size() > kMaxRequest) {
    error = argv.empty() ? "empty command" : "command line too long";
    return -1;
  }
  msghdr msg{};
  iovec iov{request.data(), request.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(2 * sizeof(int))] = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(2 * sizeof(int));
  int fds[2] = {out_fd, err_fd};
  std::memcpy(CMSG_DATA(c), fds, sizeof fds);
  ssize_t n;
  while ((n = ::sendmsg(socket_, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
  }
  if (n < 0) {
    error = std::string("cannot reach the launcher: ") + std::strerror(errno);
    return -1;
  }
  spawned_.reset();
  while (!spawned_) {
    if (!receive(true)) {
      error = "the launcher stopped";
      return -1;
    }
  }
  auto [pid, err] = *spawned_;
  if (pid > 0) return pid;
  if (err == ENOENT) error = "unable to find local executable file '" + argv[0] + "'";
  else error = "cannot run '" + argv[0] + "': " + std::strerror(err);
  return -1;
}

bool Launcher::receive(bool wait) {
  Reply r;
  ssize_t n;
  while ((n = ::recv(socket_, &r, sizeof r, wait ? 0 : MSG_DONTWAIT)) < 0 && errno == EINTR) {
  }
  if (n != sizeof r) return false;
  if (r.kind == Kind::Spawned) spawned_ = std::make_pair(static_cast<pid_t>(r.pid), static_cast<int>(r.value));
  else exits_.push_back(Exit{r.pid, r.value});
  return true;
}

std::vector<Launcher::Exit> Launcher::take_exits() {
  while (receive(false)) {
  }
  std::vector<Exit> out(exits_.begin(), exits_.end());
  exits_.clear();
  return out;
}

}  // namespace confluent::fanout
