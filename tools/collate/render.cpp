// The grouped view as text: a header block per group, then its output or (-d) its diff.
#include <algorithm>

#include "collate.h"

namespace confluent::collate {

namespace {

constexpr std::string_view kRule = "====================================\n";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::ptrdiff_t kContext = 3;  // unchanged lines shown around a change, as confluent shows

void append_header(std::string& out, const Group& group, bool count) {
  out.append(kRule).append(group.header).append("\n").append(kRule);
  if (count) out.append("Count: ").append(std::to_string(group.members.size())).append("\n").append(kRule);
}

void append_diff_line(std::string& out, const DiffLine& line, bool colour) {
  std::string_view prefix = line.op == DiffOp::Same ? "  " : line.op == DiffOp::Removed ? "- " : "+ ";
  bool paint = colour && line.op != DiffOp::Same;
  if (paint) out.append(line.op == DiffOp::Removed ? kRed : kGreen);
  out.append(prefix).append(*line.text);
  if (paint) out.append(kReset);
  out += '\n';
}

// Only lines within kContext lines of a change; "@@" starts each run of shown lines.
void append_hunks(std::string& out, const std::vector<DiffLine>& lines, bool colour) {
  const auto n = static_cast<std::ptrdiff_t>(lines.size());
  std::vector<std::ptrdiff_t> changes_before(lines.size() + 1, 0);
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    changes_before[i + 1] = changes_before[i] + (lines[i].op != DiffOp::Same ? 1 : 0);
  }
  bool in_run = false;
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    std::ptrdiff_t lo = std::max<std::ptrdiff_t>(0, i - kContext);
    std::ptrdiff_t hi = std::min(n, i + kContext + 1);
    if (changes_before[hi] == changes_before[lo]) {
      in_run = false;
      continue;
    }
    if (!in_run) out.append("@@\n");
    in_run = true;
    append_diff_line(out, lines[i], colour);
  }
}

void append_lines(std::string& out, const std::vector<std::string>& lines) {
  for (const auto& line : lines) (out += line) += '\n';
}

}  // namespace

std::string render(const Collector& collector, const Layout& layout, const Options& opt, bool colour) {
  std::string out;
  if (layout.groups.empty()) return out;
  const auto& nodes = collector.nodes();
  const auto& reference = nodes[layout.groups[layout.reference].members.front()].lines;
  for (std::size_t i = 0; i < layout.groups.size(); ++i) {
    if (opt.skip_common && i == layout.reference) continue;
    const Group& group = layout.groups[i];
    const auto& lines = nodes[group.members.front()].lines;
    append_header(out, group, opt.count);
    if (opt.diff && i != layout.reference) {
      append_hunks(out, diff_lines(reference, lines), colour);
    } else {
      append_lines(out, lines);
    }
    out += '\n';
  }
  return out;
}

}  // namespace confluent::collate
