#include "cli/node_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>
#include <vector>

#include "attrdb/expression.h"
#include "base/error.h"
#include "base/natural_sort.h"
#include "cli/app.h"

namespace confluent::cli {

namespace {

// Lines are gathered per round of events and written whole, so lines of different nodes
// never mix; within a round they go out in natural node order, as confluent does.
class PrintingSink final : public fanout::ProcessSink {
 public:
  explicit PrintingSink(const NodeCommandOptions& options) : options_(options) {}

  void line(const std::string& node, fanout::Stream stream, std::string_view text, bool) override {
    auto& lines = stream == fanout::Stream::Out ? out_ : err_;
    if (options_.strip_backspaces && stream == fanout::Stream::Out) {
      while (!text.empty() && text.front() == '\b') text.remove_prefix(1);
    }
    std::string buf;
    if (options_.prefix) buf.append(node).append(": ");
    buf.append(text).push_back('\n');
    lines.push_back({node, std::move(buf)});
    pending_ += lines.back().second.size();
    if (pending_ > (1 << 16)) flush();
  }

  void finished(const std::string& node, const fanout::Outcome& outcome) override {
    using Kind = fanout::Outcome::Kind;
    int status = 0;
    switch (outcome.kind) {
      case Kind::Exited: status = outcome.code; break;
      case Kind::Signaled:
        status = 128 + outcome.code;
        note(node, std::string("killed by signal ") + std::to_string(outcome.code) + " (" +
                       strsignal(outcome.code) + ")");
        break;
      case Kind::TimedOut:
        status = 124;
        note(node, "timed out");
        break;
      case Kind::NotStarted:
        status = outcome.error.rfind("unable to find", 0) == 0 ? 127 : 126;
        note(node, outcome.error);
        break;
    }
    worst_ = std::max(worst_, status);
  }

  void note(const std::string& node, const std::string& text) { err_.push_back({node, node + ": " + text + "\n"}); }

  void flush() override {
    write_all(STDOUT_FILENO, out_);
    write_all(STDERR_FILENO, err_);
    pending_ = 0;
  }

  int worst() const { return worst_; }
  void fail(int status) { worst_ = std::max(worst_, status); }

 private:
  using Lines = std::vector<std::pair<std::string, std::string>>;  // node, text

  static void write_all(int fd, Lines& lines) {
    std::stable_sort(lines.begin(), lines.end(),
                     [](const auto& a, const auto& b) { return natural_less(a.first, b.first); });
    std::string buf;
    for (const auto& [_, text] : lines) buf += text;
    lines.clear();
    size_t done = 0;
    while (done < buf.size()) {
      ssize_t n = ::write(fd, buf.data() + done, buf.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // a closed pipe: the rest is dropped, as a terminated reader wants
      done += static_cast<size_t>(n);
    }
  }

  const NodeCommandOptions& options_;
  Lines out_, err_;
  size_t pending_ = 0;
  int worst_ = 0;
};

}  // namespace

void add_fanout_options(CLI::App& app, FanoutFlags& flags, const std::string& timeout_names) {
  app.add_option("noderange", flags.noderange, "Nodes to run the command for")->required();
  app.add_option("-f,-c,--count", flags.concurrency, "Run at most N commands at once (default 168)")
      ->type_name("N")
      ->check(CLI::Range(1, 1000000));
  app.add_flag("-n,--nonodeprefix", flags.no_prefix, "Do not prefix output lines with the node name");
  app.add_option("-m,--maxnodes", flags.max_nodes, "Ask for confirmation before running for more than N nodes")
      ->type_name("N");
  app.add_option(timeout_names, flags.timeout, "Kill a node's command after SECONDS and report it as timed out")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 31536000.0));
}

int run_per_node(const FanoutFlags& flags, const std::string& command, bool expand, bool strip_backspaces,
                 const ArgvBuilder& build) {
  if (expand) attrdb::classify_value(command);  // a malformed template fails once, before anything runs
  auto db = attrdb::Database::open(attrdb::Access::Read);
  noderange::NodeList nodes = db->expand(flags.noderange);
  confirm_node_count(nodes.size(), flags.max_nodes);
  std::vector<fanout::Command> commands;
  std::vector<NodeFailure> failures;
  for (const auto& node : nodes) {
    try {
      std::vector<std::string> argv = build(*db, node, expand ? db->expand_template(node, command) : command);
      if (argv.empty()) {
        failures.push_back({node, "the command is empty after expansion"});
      } else {
        commands.push_back({node, std::move(argv)});
      }
    } catch (const attrdb::ExpressionError& e) {
      failures.push_back({node, "cannot expand '" + command + "': " + e.what()});
    } catch (const Error& e) {
      failures.push_back({node, e.what()});
    }
  }
  db.reset();
  NodeCommandOptions run;
  run.concurrency = flags.concurrency;
  run.prefix = !flags.no_prefix;
  run.strip_backspaces = strip_backspaces;
  if (flags.timeout > 0) run.timeout = std::chrono::milliseconds(std::llround(flags.timeout * 1000));
  return run_node_commands(std::move(commands), failures, run);
}

int run_node_commands(std::vector<fanout::Command> commands, const std::vector<NodeFailure>& failures,
                      const NodeCommandOptions& options) {
  PrintingSink sink(options);
  for (const auto& f : failures) {
    sink.note(f.node, "error: " + f.message);
    sink.fail(1);
  }
  sink.flush();
  fanout::RunOptions run;
  run.concurrency = options.concurrency;
  run.timeout = options.timeout;
  fanout::run_commands(std::move(commands), run, sink);
  sink.flush();
  return std::min(sink.worst(), 255);
}

}  // namespace confluent::cli
