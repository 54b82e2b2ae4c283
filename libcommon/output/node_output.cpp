#include "output/node_output.h"

namespace confluent::output {

namespace {
constexpr size_t kFlushAt = 1 << 16;
}

Writer::Writer(std::FILE* stream) : stream_(stream) { buffer_.reserve(kFlushAt + 4096); }

Writer::~Writer() { flush(); }

void Writer::end_line() {
  while (!buffer_.empty() && (buffer_.back() == ' ' || buffer_.back() == '\t')) buffer_.pop_back();
  buffer_ += '\n';
  if (buffer_.size() >= kFlushAt) flush();
}

void Writer::attribute(std::string_view node, std::string_view attr, std::string_view value) {
  buffer_.append(node).append(": ").append(attr).append(": ").append(value);
  end_line();
}

void Writer::node_line(std::string_view node, std::string_view text) {
  buffer_.append(node).append(": ").append(text);
  end_line();
}

void Writer::line(std::string_view text) {
  buffer_.append(text);
  buffer_ += '\n';
  if (buffer_.size() >= kFlushAt) flush();
}

void Writer::flush() {
  if (!buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), stream_);
  buffer_.clear();
  std::fflush(stream_);
}

}  // namespace confluent::output
