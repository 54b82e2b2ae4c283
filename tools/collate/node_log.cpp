// -l TEMPLATE: each node's lines appended to a file of its own, as they arrive.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/error.h"
#include "cli/app.h"
#include "collate.h"

namespace confluent::collate {

namespace {

constexpr std::string_view kPlaceholder = "{node}";
// Marks a node whose name cannot be part of a file name; it is warned about once.
constexpr std::size_t kNotLogged = static_cast<std::size_t>(-1);

std::string file_name(std::string_view file_template, std::string_view node) {
  std::string out;
  size_t start = 0;
  for (size_t at; (at = file_template.find(kPlaceholder, start)) != std::string_view::npos;
       start = at + kPlaceholder.size()) {
    out.append(file_template.substr(start, at - start)).append(node);
  }
  out.append(file_template.substr(start));
  return out;
}

// A name taken from the input must not lead the file elsewhere.
bool usable_in_path(std::string_view node) {
  return node.find('/') == std::string_view::npos && node != "." && node != "..";
}

}  // namespace

NodeLog::NodeLog(std::string file_template) : template_(std::move(file_template)) {
  if (template_.find(kPlaceholder) == std::string::npos) {
    throw Error(ErrorKind::Usage, "the log file template '" + template_ + "' lacks '{node}'");
  }
}

void NodeLog::note(std::size_t node) {
  if (node >= written_.size()) written_.resize(node + 1, 0);
  if (written_[node] == kNotLogged) return;
  pending_.push_back(node);
}

void NodeLog::flush(const Collector& collector) {
  for (std::size_t node : pending_) {
    std::size_t& written = written_[node];
    if (written == kNotLogged) continue;  // noted twice in this batch, refused the first time
    const NodeOutput& out = collector.nodes()[node];
    if (!usable_in_path(out.name)) {
      cli::warn("not logging node '" + out.name + "': its name cannot be part of a file name");
      written = kNotLogged;
      continue;
    }
    if (written < out.lines.size()) write_node(out, written);
  }
  pending_.clear();
}

void NodeLog::write_node(const NodeOutput& node, std::size_t& written) {
  std::string path = file_name(template_, node.name);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "a"), &std::fclose);
  if (!file) {
    throw Error(ErrorKind::Runtime, "cannot write log file '" + path + "': " + std::strerror(errno));
  }
  std::string text;
  for (; written < node.lines.size(); ++written) (text += node.lines[written]) += '\n';
  if (std::fwrite(text.data(), 1, text.size(), file.get()) != text.size() || std::fflush(file.get()) != 0) {
    throw Error(ErrorKind::Runtime, "cannot write log file '" + path + "': " + std::strerror(errno));
  }
}

}  // namespace confluent::collate
