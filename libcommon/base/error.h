#pragma once
// One error type for whole-run failures; its kind decides the exit code (see exit_code()).
#include <stdexcept>
#include <string>

namespace confluent {

enum class ErrorKind {
  Runtime,   // generic failure, exit 1
  Usage,     // bad command line, exit 2
  NotFound,  // bad noderange, unknown node or group, exit 3
  Invalid,   // bad attribute name or value, empty range on write, exit 4
  Store,     // the attribute store cannot be opened or written, exit 5
};

// Exit status of a command: 0 success, 1 runtime or per-node failure, 2 usage,
// 3 not found, 4 invalid request, 5 store failure.
int exit_code(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace confluent
