// Reading "node: text" lines from standard input, at once or (-w) with redraws on pauses.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "base/error.h"
#include "collate.h"

namespace confluent::collate {

std::size_t Collector::add_line(std::string_view line) {
  if (line.empty()) return kNoNode;
  std::string_view node = "UNKNOWN";
  std::string_view text = line;
  if (size_t colon = line.find(": "); colon != std::string_view::npos) {
    if (colon > 0) node = line.substr(0, colon);
    text = line.substr(colon + 2);
  }
  auto it = index_.find(node);
  if (it == index_.end()) {
    it = index_.emplace(std::string(node), nodes_.size()).first;
    nodes_.push_back({std::string(node), {}});
  }
  nodes_[it->second].lines.emplace_back(text);
  ++line_count_;
  return it->second;
}

std::size_t Collector::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? kNoNode : it->second;
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kHoldoff{250};

class LineSplitter {
 public:
  LineSplitter(Collector& collector, NodeLog* log) : collector_(collector), log_(log) {}

  // Feeds a block of input; an unfinished last line waits for the next block.
  void feed(std::string_view data) {
    size_t start = 0;
    for (size_t nl; (nl = data.find('\n', start)) != std::string_view::npos; start = nl + 1) {
      std::string_view piece = data.substr(start, nl - start);
      if (partial_.empty()) {
        take(piece);
      } else {
        partial_.append(piece);
        take(partial_);
        partial_.clear();
      }
    }
    partial_.append(data.substr(start));
    // Log files follow the input at a pace that opens each file a few times a second at most.
    if (log_ && Clock::now() >= next_log_flush_) {
      log_->flush(collector_);
      next_log_flush_ = Clock::now() + kHoldoff;
    }
  }

  void finish() {
    if (!partial_.empty()) take(partial_);
    partial_.clear();
    if (log_) log_->flush(collector_);
  }

 private:
  void take(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t node = collector_.add_line(line);
    if (log_ && node != kNoNode) log_->note(node);
  }

  Collector& collector_;
  NodeLog* log_;
  std::string partial_;
  Clock::time_point next_log_flush_ = Clock::now() + kHoldoff;
};

// One read(2) into the splitter; false at end of input.
bool read_block(LineSplitter& splitter, std::vector<char>& block) {
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, block.data(), block.size());
    if (n > 0) {
      splitter.feed(std::string_view(block.data(), static_cast<size_t>(n)));
      return true;
    }
    if (n == 0) return false;
    if (errno != EINTR)
      throw Error(ErrorKind::Runtime, std::string("cannot read standard input: ") + std::strerror(errno));
  }
}

constexpr Clock::time_point kNever = Clock::time_point::max();

// Waits for input at most until `deadline`; false on timeout.
bool wait_for_input(Clock::time_point deadline) {
  for (;;) {
    int timeout = -1;
    if (deadline != kNever) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      timeout = static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
    }
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    int ready = ::poll(&fd, 1, timeout);
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) throw Error(ErrorKind::Runtime, std::string("cannot wait for input: ") + std::strerror(errno));
  }
}

// -w: a redraw kHoldoff after the first line not yet shown, whether lines keep coming or
// input has paused (poll() times out then).
void watch_input(Collector& collector, LineSplitter& splitter, std::vector<char>& block,
                 const std::function<void()>& redraw) {
  Clock::time_point shown_by = kNever;  // a deadline while some line is not shown yet
  for (;;) {
    if (!wait_for_input(shown_by)) {
      redraw();
      shown_by = kNever;
      continue;
    }
    size_t before = collector.line_count();
    if (!read_block(splitter, block)) break;
    if (shown_by == kNever && collector.line_count() != before) shown_by = Clock::now() + kHoldoff;
    if (shown_by != kNever && Clock::now() >= shown_by) {
      redraw();
      shown_by = kNever;
    }
  }
}

}  // namespace

void read_input(Collector& collector, NodeLog* log, const std::function<void()>* redraw) {
  LineSplitter splitter(collector, log);
  std::vector<char> block(1 << 16);
  if (redraw) {
    watch_input(collector, splitter, block, *redraw);
  } else {
    while (read_block(splitter, block)) {
    }
  }
  splitter.finish();
}

}  // namespace confluent::collate
