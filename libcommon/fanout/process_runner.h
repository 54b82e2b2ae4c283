#pragma once
// Runs one local command per node, many at once, on one event loop: a concurrency limit,
// an optional per-node timeout, and output delivered line by line as it arrives. A slow or
// hung node holds back nobody else.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confluent::fanout {

struct Command {
  std::string node;
  std::vector<std::string> argv;  // argv[0] is looked up in PATH
};

enum class Stream { Out, Err };

struct Outcome {
  enum class Kind { Exited, Signaled, TimedOut, NotStarted };
  Kind kind = Kind::Exited;
  int code = 0;       // exit status, or signal number
  std::string error;  // why it did not start
};

class ProcessSink {
 public:
  virtual ~ProcessSink() = default;
  // One line without its newline; `complete` is false for a last line that had none.
  virtual void line(const std::string& node, Stream stream, std::string_view text, bool complete) = 0;
  virtual void finished(const std::string& node, const Outcome& outcome) = 0;
  // Called after each round of events, so that output can be written in whole lines.
  virtual void flush() {}
};

struct RunOptions {
  size_t concurrency = 168;
  std::optional<std::chrono::milliseconds> timeout;
};

// Runs every command (stdin is /dev/null) and returns when all have finished. SIGINT,
// SIGTERM and SIGHUP during the run stop every command and are then re-raised.
void run_commands(std::vector<Command> commands, const RunOptions& options, ProcessSink& sink);

}  // namespace confluent::fanout
