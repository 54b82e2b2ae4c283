#pragma once
#include <string>
#include <vector>

namespace confluent::tools::nodeattrib {

struct Options {
  std::string noderange;
  std::vector<std::string> args;  // attribute names, patterns, or attr=value
  bool blame = false;
  bool clear = false;
  bool environment = false;
  bool prompt = false;
  int max_nodes = 0;
  std::string batch_file;
};

int run_list(const Options& opt);
int run_set(const Options& opt, const std::vector<std::string>& assignments);
int run_clear(const Options& opt);
// Expands the noderange, refuses an empty one and asks -m's question; changes nothing.
void check_targets(const Options& opt);

}  // namespace confluent::tools::nodeattrib
