#include "cli/progress_grid.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "base/natural_sort.h"

namespace confluent::cli {

ProgressGrid::ProgressGrid() : tty_(isatty(STDERR_FILENO) == 1) {}

ProgressGrid::~ProgressGrid() {
  if (tty_ && !cells_.empty()) draw(true);
}

void ProgressGrid::update(const std::string& node, const std::string& phase, double percent) {
  if (!tty_) return;
  cells_[node] = fmt::format("{}: {:3.0f}%", phase, std::clamp(percent, 0.0, 100.0));
  draw(false);
}

void ProgressGrid::draw(bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  std::vector<std::string> nodes;
  size_t node_width = 1, text_width = 1;
  for (const auto& [node, text] : cells_) {
    nodes.push_back(node);
    node_width = std::max(node_width, node.size());
    text_width = std::max(text_width, text.size());
  }
  std::sort(nodes.begin(), nodes.end(), natural_less);
  winsize ws{};
  size_t columns = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
  size_t cell = node_width + 1 + text_width + 3;
  size_t per_line = std::max<size_t>(1, columns / cell);
  std::string out;
  if (lines_drawn_ > 0) out += fmt::format("\r\x1b[{}A", lines_drawn_);
  size_t lines = 0;
  for (size_t i = 0; i < nodes.size(); i += per_line) {
    out += "\x1b[2K";
    for (size_t j = i; j < std::min(nodes.size(), i + per_line); ++j) {
      out += fmt::format("{:>{}}:{:<{}}   ", nodes[j], node_width, cells_[nodes[j]], text_width);
    }
    out += "\n";
    ++lines;
  }
  lines_drawn_ = lines;
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

}  // namespace confluent::cli
