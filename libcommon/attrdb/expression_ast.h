#pragma once
// Private to the expression files: the compiled form of an expression, the template splitter
// shared with classify_value(), and the Python text conventions the parser, the evaluator and
// the formatter share (int() parsing, repr(), and counting code points rather than bytes).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace confluent::attrdb::detail {

inline constexpr std::size_t kMaxFormatSpecLength = 8;
inline constexpr std::size_t kMaxFormattedLength = 16384;

enum class NodeKind : std::uint8_t {
  Int,         // number
  Str,         // text
  NodeName,    // node, nodename
  NameNumber,  // nN: number is N
  Attribute,   // text is the (dotted) attribute name or alias
  Negate,      // -first
  Binary,      // first binary_op second
  Index,       // first[second]
  Slice,       // first[second:third], -1 for an omitted bound
  Call,        // first.method(second, third)
};

enum class BinaryOp : std::uint8_t { Or, Xor, And, Shl, Shr, Add, Sub, Mul, FloorDiv, Mod };
enum class Method : std::uint8_t { Upper, Lower, Replace, BlockNumber, BlockOffset };

// One AST node; children are indices into the same vector so that an expression is one
// allocation-friendly array evaluated without re-parsing.
struct Node {
  Node() = default;
  explicit Node(NodeKind node_kind) : kind(node_kind) {}

  NodeKind kind = NodeKind::Int;
  BinaryOp binary_op = BinaryOp::Add;
  Method method = Method::Upper;
  int first = -1;
  int second = -1;
  int third = -1;
  long long number = 0;
  std::string text;
};

// Literal text followed by at most one replacement field, as Python's str.format sees it.
struct TemplatePart {
  std::string literal;  // {{ and }} already unescaped
  bool has_field = false;
  std::string_view name;        // the field's expression text, a view into the template
  std::string_view conversion;  // the character after '!', "" when none
  std::string_view spec;        // after the ':'
  std::string error;            // Python's message when the template is malformed here; ends the list
  bool brace_error = false;     // the error is a stray or missing brace
};

std::vector<TemplatePart> split_template(std::string_view text);

// Parses one field's expression into `nodes` and returns the root index. Throws
// ExpressionError with the message Python would give for what does not parse.
int parse_field_expression(std::string_view text, std::vector<Node>& nodes);

// Formats a decimal integer too large for long long, given as optional '-' and digits.
std::string format_big_int(std::string_view canonical, std::string_view spec);

[[noreturn]] void throw_formatted_too_long();

// Python's int(text) in base 10: surrounding whitespace, a sign, single underscores between digits.
enum class IntText { Invalid, Fits, TooLarge };
IntText parse_python_int(std::string_view text, long long& value);
// The sign and digits of an int() text, without underscores or leading zeros.
std::string canonical_int_text(std::string_view text);
// repr() of a str, truncated to 200 bytes as Python's "invalid literal for int()" message does.
std::string python_repr(std::string_view text);

std::size_t utf8_sequence_length(std::string_view text, std::size_t pos);
std::size_t utf8_length(std::string_view text);
char32_t utf8_decode(std::string_view text, std::size_t pos);
void append_utf8(std::string& out, char32_t code_point);

}  // namespace confluent::attrdb::detail
