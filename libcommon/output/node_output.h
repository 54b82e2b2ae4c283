#pragma once
// Buffered, line-oriented output of per-node results: "node: text" and "node: attr: value".
#include <cstdio>
#include <string>
#include <string_view>

namespace confluent::output {

class Writer {
 public:
  explicit Writer(std::FILE* stream = stdout);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // "node: attr: value", trailing whitespace removed as confluent does.
  void attribute(std::string_view node, std::string_view attr, std::string_view value);
  // "node: text".
  void node_line(std::string_view node, std::string_view text);
  void line(std::string_view text);
  void flush();

 private:
  void end_line();
  std::FILE* stream_;
  std::string buffer_;
};

}  // namespace confluent::output
