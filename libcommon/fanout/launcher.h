#pragma once
// Spawns commands from a small helper process. Spawning straight from a process that holds
// thousands of pipes costs the kernel a copy of that whole descriptor table per child (and
// closing it again at exec); the launcher is forked before the run opens anything, so its
// table stays tiny. It also reaps the children and reports how they ended.
#include <sys/types.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace confluent::fanout {

class Launcher {
 public:
  struct Exit {
    pid_t pid;
    int status;  // as from waitpid
  };

  Launcher();
  ~Launcher();
  Launcher(const Launcher&) = delete;
  Launcher& operator=(const Launcher&) = delete;

  // Starts argv (looked up in PATH) in its own process group with stdin /dev/null and
  // stdout/stderr on the given descriptors. Returns the pid, or sets `error`.
  pid_t spawn(const std::vector<std::string>& argv, int out_fd, int err_fd, std::string& error);
  // The descriptor to watch for exits, and the exits that have arrived.
  int fd() const { return socket_; }
  std::vector<Exit> take_exits();

 private:
  bool receive(bool wait);

  int socket_ = -1;
  pid_t pid_ = -1;
  std::deque<Exit> exits_;
  std::optional<std::pair<pid_t, int>> spawned_;  // reply to the last spawn: pid, errno
};

}  // namespace confluent::fanout
