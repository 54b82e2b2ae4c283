#pragma once
// collate: groups the "node: text" output of other commands by identical output.
// The pieces: Collector (input lines per node), NodeLog (-l files), arrange() (groups in
// print order), render() (the text), diff_lines() (-d).
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "noderange/noderange.h"

namespace confluent::collate {

struct Options {
  bool abbreviate = false;
  bool diff = false;
  bool watch = false;
  bool skip_common = false;
  bool count = false;
  bool reverse = false;
  bool group_count = false;  // -g: only the number of distinct outputs
  std::string base;          // -b: diff against this node's output
  std::string log_template;  // -l: one file per node, "{node}" replaced by its name
};

struct NodeOutput {
  std::string name;
  std::vector<std::string> lines;
};

inline constexpr std::size_t kNoNode = static_cast<std::size_t>(-1);

// Every node's lines, nodes in order of first appearance.
class Collector {
 public:
  // Takes one input line without its newline; returns the node it went to, or kNoNode
  // for an empty line (skipped).
  std::size_t add_line(std::string_view line);
  const std::vector<NodeOutput>& nodes() const { return nodes_; }
  std::size_t find(std::string_view name) const;  // kNoNode when absent
  std::size_t line_count() const { return line_count_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> index_;
  std::vector<NodeOutput> nodes_;
  std::size_t line_count_ = 0;
};

// -l: appends each node's new lines to its own file.
class NodeLog {
 public:
  // Throws confluent::Error(Usage) when `file_template` lacks "{node}".
  explicit NodeLog(std::string file_template);
  void note(std::size_t node);  // the node has lines not written yet
  // Writes what was noted; throws confluent::Error when a file cannot be written.
  void flush(const Collector& collector);

 private:
  void write_node(const NodeOutput& node, std::size_t& written);
  std::string template_;
  std::vector<std::size_t> written_;  // lines written so far, per node
  std::vector<std::size_t> pending_;  // nodes noted since the last flush
};

// Reads standard input to its end into `collector` (and `log`, when not null). With
// `redraw` set, calls it when input pauses for 250 ms, or 250 ms after the first line not
// yet shown while lines keep coming.
void read_input(Collector& collector, NodeLog* log, const std::function<void()>* redraw);

struct Group {
  std::vector<std::size_t> members;  // node indices, nodes in natural order
  std::string header;                // the members folded to a noderange
};

// The groups in print order. `reference` is the position of the group that -s leaves out
// and -d compares against: the most common output, or the output of the -b node.
struct Layout {
  std::vector<Group> groups;
  std::size_t reference = 0;
};

// The groups of the attribute store for -a (none when there is no store), without everything.
std::vector<noderange::FoldGroup> store_fold_groups();

// Throws confluent::Error(NotFound) when the -b node is not in the input and `final` is
// set; before the end of input it falls back to the most common output.
Layout arrange(const Collector& collector, const Options& opt, const std::vector<noderange::FoldGroup>& fold_groups,
               bool final);

std::string render(const Collector& collector, const Layout& layout, const Options& opt, bool colour);

enum class DiffOp : char { Same, Removed, Added };
struct DiffLine {
  DiffOp op;
  const std::string* text;
};
// A line diff of `from` to `to`: a shortest edit script (Myers) up to a bounded number of
// edits, a whole replacement beyond; within a change, similar lines come in -/+ pairs.
std::vector<DiffLine> diff_lines(const std::vector<std::string>& from, const std::vector<std::string>& to);

}  // namespace confluent::collate
