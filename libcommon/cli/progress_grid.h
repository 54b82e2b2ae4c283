#pragma once
// Per-node progress on a terminal: a grid of "node:phase: NN%" cells redrawn in place (as
// confluent's nodemedia upload shows it), at most ten times a second. Silent when stderr is
// not a terminal, so pipelines and logs only get the results.
#include <chrono>
#include <map>
#include <string>

namespace confluent::cli {

class ProgressGrid {
 public:
  ProgressGrid();
  ~ProgressGrid();  // draws the final state
  bool active() const { return tty_; }
  void update(const std::string& node, const std::string& phase, double percent);

 private:
  void draw(bool force);
  bool tty_ = false;
  size_t lines_drawn_ = 0;
  std::map<std::string, std::string> cells_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace confluent::cli
