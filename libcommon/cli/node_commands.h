#pragma once
// What noderun and nodeshell share: run one command per node on the fan-out engine, print
// "node: line" as output arrives, and turn the per-node outcomes into one exit status.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "fanout/process_runner.h"

namespace confluent::cli {

struct NodeCommandOptions {
  size_t concurrency = 168;
  bool prefix = true;                            // "node: " before each line
  bool strip_backspaces = false;                 // nodeshell: leading \b removed from stdout
  std::optional<std::chrono::milliseconds> timeout;
};

struct NodeFailure {
  std::string node;
  std::string message;  // e.g. an expansion error; the node's command is not run
};

// Exit status: 0 when every node's command exited 0; otherwise the highest status among
// the nodes, where a node's status is its exit code, 124 when it timed out, 126 when its
// command could not run, 127 when it was not found, 128+N when killed by signal N, and 1
// for a failure before it started.
int run_node_commands(std::vector<fanout::Command> commands, const std::vector<NodeFailure>& failures,
                      const NodeCommandOptions& options);

}  // namespace confluent::cli
