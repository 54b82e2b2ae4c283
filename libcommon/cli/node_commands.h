#pragma once
// What noderun and nodeshell share: run one command per node on the fan-out engine, print
// "node: line" as output arrives, and turn the per-node outcomes into one exit status.
#include <CLI/CLI.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "attrdb/database.h"
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

// The options noderun and nodeshell share.
struct FanoutFlags {
  std::string noderange;
  size_t concurrency = 168;
  bool no_prefix = false;
  int max_nodes = 0;
  double timeout = 0;  // seconds per node, 0 for none
};
// The noderange argument, -f/-c/--count, -n, -m, and the per-node timeout under
// `timeout_names` ("-t,--timeout" for noderun; nodeshell's -t is ssh's connect timeout).
void add_fanout_options(CLI::App& app, FanoutFlags& flags, const std::string& timeout_names);

// Turns a node's expanded command into the argv to run; may throw confluent::Error for a
// failure of that node alone.
using ArgvBuilder =
    std::function<std::vector<std::string>(attrdb::Database& db, const std::string& node, const std::string& command)>;

// The whole of noderun and nodeshell but for the argv: checks the template once, expands
// it per node (unless `expand` is false), runs every node's command and prints as it goes.
int run_per_node(const FanoutFlags& flags, const std::string& command, bool expand, bool strip_backspaces,
                 const ArgvBuilder& build);

}  // namespace confluent::cli
