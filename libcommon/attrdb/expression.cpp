// Expressions as str.format templates: splitting the template as CPython does, compiling each
// field once, and evaluating with Python's semantics for the int and str values a field can
// hold (floor division, sign-of-divisor modulo, code point indexing, int() coercion).
#include "attrdb/expression.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <optional>
#include <vector>

#include "attrdb/expression_ast.h"

namespace confluent::attrdb {
namespace detail {
namespace {

constexpr std::string_view kBadConversion = "expected ':' after conversion specifier";

// CPython's parse_field: the name stops at ':', '!' or '}', except inside [...].
std::size_t scan_field_name(std::string_view text, std::size_t pos, TemplatePart& part, char& terminator) {
  const std::size_t start = pos;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (c == '{') {
      part.error = "unexpected '{' in field name";
      return pos;
    }
    if (c == '[') pos = std::min(text.find(']', pos), text.size());
    if (c == '}' || c == ':' || c == '!') {
      terminator = c;
      part.name = text.substr(start, pos - 1 - start);
      return pos;
    }
  }
  part.error = "expected '}' before end of string";
  return pos;
}

// Returns the position after the field's closing brace, or sets part.error.
std::size_t scan_field(std::string_view text, std::size_t pos, TemplatePart& part) {
  part.has_field = true;
  char terminator = 0;
  pos = scan_field_name(text, pos, part, terminator);
  if (!part.error.empty() || terminator == '}') return pos;
  if (terminator == '!') {
    if (pos >= text.size()) {
      part.error = "end of string while looking for conversion specifier";
      return pos;
    }
    part.conversion = text.substr(pos, utf8_sequence_length(text, pos));
    pos += part.conversion.size();
    const char after = pos < text.size() ? text[pos++] : ':';
    if (after == '}') return pos;
    if (after != ':') {
      part.error = kBadConversion;
      return pos;
    }
  }
  const std::size_t end = text.find_first_of("{}", pos);
  if (end == text.npos) {
    part.error = "unmatched '{' in format spec";
  } else if (text[end] == '{') {
    part.error = "nested replacement fields in a format specification are not supported";
  } else {
    part.spec = text.substr(pos, end - pos);
  }
  return end == text.npos ? text.size() : end + 1;
}

}  // namespace

std::vector<TemplatePart> split_template(std::string_view text) {
  std::vector<TemplatePart> parts;
  TemplatePart part;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t brace = text.find_first_of("{}", pos);
    part.literal.append(text.substr(pos, brace - pos));
    if (brace == text.npos) break;
    const char c = text[brace];
    pos = brace + 1;
    if (pos < text.size() && text[pos] == c) {
      part.literal += c;
      ++pos;
      continue;
    }
    if (c == '}' || pos == text.size()) {
      part.error = std::string("Single '") + c + "' encountered in format string";
    } else {
      pos = scan_field(text, pos, part);
    }
    // Every failure but a bad conversion is a brace without its partner.
    part.brace_error = !part.error.empty() && part.error != kBadConversion;
    parts.push_back(std::move(part));
    if (!parts.back().error.empty()) return parts;
    part = TemplatePart();
  }
  if (!part.literal.empty() || parts.empty()) parts.push_back(std::move(part));
  return parts;
}

}  // namespace detail

namespace {

using detail::BinaryOp;
using detail::Method;
using detail::Node;
using detail::NodeKind;

constexpr std::string_view kZeroDivision = "integer division or modulo by zero";

[[noreturn]] void fail(const std::string& message) { throw ExpressionError(message); }
[[noreturn]] void out_of_range() { fail("integer value out of range"); }

enum class ValueKind : std::uint8_t { Int, Str, BigInt };

// A Python int or str. A BigInt is an int beyond long long, kept as canonical decimal text;
// its number saturates so that slicing with it still clamps as in Python.
struct Value {
  ValueKind kind = ValueKind::Str;
  long long number = 0;
  std::string text;
};

Value int_value(long long number) { return Value{ValueKind::Int, number, {}}; }
Value str_value(std::string text) { return Value{ValueKind::Str, 0, std::move(text)}; }

Value big_int_value(std::string_view text) {
  std::string canonical = detail::canonical_int_text(text);
  const bool negative = canonical[0] == '-';
  return Value{ValueKind::BigInt, negative ? LLONG_MIN : LLONG_MAX, std::move(canonical)};
}

// The integer coercion every field gets after evaluation.
void coerce_to_int(Value& value) {
  if (value.kind != ValueKind::Str) return;
  long long number = 0;
  const detail::IntText parsed = detail::parse_python_int(value.text, number);
  if (parsed == detail::IntText::Fits) value = int_value(number);
  if (parsed == detail::IntText::TooLarge) value = big_int_value(value.text);
}

long long to_int(const Value& value) {
  if (value.kind == ValueKind::Int) return value.number;
  if (value.kind == ValueKind::BigInt) out_of_range();
  long long number = 0;
  const detail::IntText parsed = detail::parse_python_int(value.text, number);
  if (parsed == detail::IntText::TooLarge) out_of_range();
  if (parsed == detail::IntText::Invalid)
    fail("invalid literal for int() with base 10: " + detail::python_repr(value.text));
  return number;
}

long long floor_div(long long a, long long b) {
  if (b == 0) fail(std::string(kZeroDivision));
  if (b == -1 && a == LLONG_MIN) out_of_range();
  const long long quotient = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
}

long long python_mod(long long a, long long b) {
  if (b == 0) fail(std::string(kZeroDivision));
  if (b == -1) return 0;
  const long long remainder = a % b;
  return (remainder != 0 && (remainder < 0) != (b < 0)) ? remainder + b : remainder;
}

long long shift(long long a, long long count, bool left) {
  if (count < 0) fail("negative shift count");
  if (!left) return count >= 63 ? (a < 0 ? -1 : 0) : a >> count;
  if (a == 0) return 0;
  if (count >= 63 || a > (LLONG_MAX >> count) || a < (LLONG_MIN >> count)) out_of_range();
  return a * (1LL << count);
}

long long apply_binary(BinaryOp op, long long a, long long b) {
  long long result = 0;
  bool overflowed = false;
  switch (op) {
    case BinaryOp::Or: return a | b;
    case BinaryOp::Xor: return a ^ b;
    case BinaryOp::And: return a & b;
    case BinaryOp::Shl: return shift(a, b, true);
    case BinaryOp::Shr: return shift(a, b, false);
    case BinaryOp::Add: overflowed = __builtin_add_overflow(a, b, &result); break;
    case BinaryOp::Sub: overflowed = __builtin_sub_overflow(a, b, &result); break;
    case BinaryOp::Mul: overflowed = __builtin_mul_overflow(a, b, &result); break;
    case BinaryOp::FloorDiv: return floor_div(a, b);
    case BinaryOp::Mod: return python_mod(a, b);
  }
  if (overflowed) out_of_range();
  return result;
}

// Python indexes a str by code point; for the usual ASCII value that is the byte index.
class CodePoints {
 public:
  explicit CodePoints(std::string_view text) : text_(text) {
    if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; })) return;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) offsets_.push_back(i);
    }
    offsets_.push_back(text.size());
  }
  long long size() const { return static_cast<long long>(offsets_.empty() ? text_.size() : offsets_.size() - 1); }
  std::string range(long long begin, long long end) const {
    const std::size_t from = offset(begin);
    return std::string(text_.substr(from, offset(end) - from));
  }

 private:
  std::size_t offset(long long i) const {
    return offsets_.empty() ? static_cast<std::size_t>(i) : offsets_[static_cast<std::size_t>(i)];
  }
  std::string_view text_;
  std::vector<std::size_t> offsets_;
};

std::string replace_all(std::string_view text, std::string_view old, std::string_view with) {
  std::string out;
  if (old.empty()) {  // Python inserts `with` around every code point
    out += with;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t length = detail::utf8_sequence_length(text, pos);
      out.append(text.substr(pos, length)).append(with);
      pos += length;
    }
  } else {
    std::size_t pos = 0;
    for (std::size_t hit; (hit = text.find(old, pos)) != text.npos; pos = hit + old.size()) {
      out.append(text.substr(pos, hit - pos)).append(with);
    }
    out.append(text.substr(pos));
  }
  // Chained replace() calls could otherwise grow a value exponentially.
  if (out.size() > 64 * detail::kMaxFormattedLength) detail::throw_formatted_too_long();
  return out;
}

std::string_view type_name(const Value& value) { return value.kind == ValueKind::Str ? "str" : "int"; }

void require_str(const Value& value, std::string_view message) {
  if (value.kind != ValueKind::Str) fail(std::string(message));
}

// The n-th run of decimal digits in the node name (1-based), or the last one for n == 0.
std::string_view digit_run(std::string_view name, long long n) {
  constexpr std::string_view kDigits = "0123456789";
  std::string_view run;
  long long count = 0;
  for (std::size_t pos = name.find_first_of(kDigits); pos != name.npos; pos = name.find_first_of(kDigits, pos)) {
    const std::size_t end = std::min(name.find_first_not_of(kDigits, pos), name.size());
    run = name.substr(pos, end - pos);
    if (++count == n) return run;
    pos = end;
  }
  return n == 0 ? run : std::string_view();
}

class Evaluator {
 public:
  Evaluator(const std::vector<Node>& nodes, std::string_view node_name, const AttributeLookup& lookup)
      : nodes_(nodes), node_name_(node_name), lookup_(lookup) {}
  Value eval(int index) const;

 private:
  long long eval_int(int index) const { return to_int(eval(index)); }
  Value name_number(long long n) const;
  Value attribute(const std::string& name) const;
  Value subscript(const Node& node) const;
  Value slice(const Node& node) const;
  Value call(const Node& node) const;
  Value replace(const Value& base, const Node& node) const;

  const std::vector<Node>& nodes_;
  std::string_view node_name_;
  const AttributeLookup& lookup_;
};

Value Evaluator::eval(int index) const {
  const Node& node = nodes_[static_cast<std::size_t>(index)];
  switch (node.kind) {
    case NodeKind::Int: return int_value(node.number);
    case NodeKind::Str: return str_value(node.text);
    case NodeKind::NodeName: return str_value(std::string(node_name_));
    case NodeKind::NameNumber: return name_number(node.number);
    case NodeKind::Attribute: return attribute(node.text);
    case NodeKind::Negate: return int_value(apply_binary(BinaryOp::Sub, 0, eval_int(node.first)));
    case NodeKind::Binary: {
      const long long left = eval_int(node.first);
      return int_value(apply_binary(node.binary_op, left, eval_int(node.second)));
    }
    case NodeKind::Index: return subscript(node);
    case NodeKind::Slice: return slice(node);
    case NodeKind::Call: return call(node);
  }
  return Value();
}

Value Evaluator::name_number(long long n) const {
  const std::string_view run = digit_run(node_name_, n);
  if (run.empty()) fail("list index out of range");
  long long number = 0;
  return detail::parse_python_int(run, number) == detail::IntText::Fits ? int_value(number) : big_int_value(run);
}

Value Evaluator::attribute(const std::string& name) const {
  if (!lookup_) fail(name + " is not a valid attribute name");
  return str_value(lookup_(name));
}

Value Evaluator::subscript(const Node& node) const {
  const Value base = eval(node.first);
  const Value index = eval(node.second);
  require_str(base, "'int' object is not subscriptable");
  if (index.kind == ValueKind::Str) fail("string indices must be integers, not 'str'");
  const CodePoints text(base.text);
  const long long i = index.number < 0 ? index.number + text.size() : index.number;
  if (i < 0 || i >= text.size()) fail("string index out of range");
  return str_value(text.range(i, i + 1));
}

Value Evaluator::slice(const Node& node) const {
  const Value base = eval(node.first);
  const std::optional<Value> lower = node.second < 0 ? std::nullopt : std::optional(eval(node.second));
  const std::optional<Value> upper = node.third < 0 ? std::nullopt : std::optional(eval(node.third));
  require_str(base, "'int' object is not subscriptable");
  const CodePoints text(base.text);
  const auto bound = [&text](const std::optional<Value>& value, long long omitted) {
    if (!value) return omitted;
    if (value->kind == ValueKind::Str) fail("slice indices must be integers or None or have an __index__ method");
    return value->number < 0 ? std::max(value->number + text.size(), 0LL) : std::min(value->number, text.size());
  };
  const long long begin = bound(lower, 0);
  const long long end = bound(upper, text.size());
  return str_value(begin < end ? text.range(begin, end) : std::string());
}

Value Evaluator::call(const Node& node) const {
  Value base = eval(node.first);
  switch (node.method) {
    case Method::Upper:
    case Method::Lower: {
      const bool upper = node.method == Method::Upper;
      require_str(base, "'int' object has no attribute '" + std::string(upper ? "upper'" : "lower'"));
      for (char& c : base.text) {
        if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      return base;
    }
    case Method::Replace: return replace(base, node);
    case Method::BlockNumber:
    case Method::BlockOffset: {
      const long long zero_based = apply_binary(BinaryOp::Sub, to_int(base), 1);
      const long long size = eval_int(node.second);
      const BinaryOp op = node.method == Method::BlockNumber ? BinaryOp::FloorDiv : BinaryOp::Mod;
      return int_value(apply_binary(BinaryOp::Add, apply_binary(op, zero_based, size), 1));
    }
  }
  return Value();
}

Value Evaluator::replace(const Value& base, const Node& node) const {
  const Value old = eval(node.second);
  const Value with = eval(node.third);
  require_str(base, "'int' object has no attribute 'replace'");
  require_str(old, "replace() argument 1 must be str, not " + std::string(type_name(old)));
  require_str(with, "replace() argument 2 must be str, not " + std::string(type_name(with)));
  return str_value(replace_all(base.text, old.text, with.text));
}

void append_formatted(const Value& value, std::string_view spec, std::string& out) {
  constexpr std::size_t kMaxLength = detail::kMaxFormattedLength;
  const std::size_t start = out.size();
  if (value.kind == ValueKind::Int && spec.empty()) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, value.number).ptr);
  } else if (value.kind == ValueKind::Int) {
    out += format_int(value.number, spec);
  } else if (spec.empty()) {
    out += value.text;
  } else {
    out += value.kind == ValueKind::Str ? format_string(value.text, spec) : detail::format_big_int(value.text, spec);
  }
  const std::string_view added = std::string_view(out).substr(start);
  if (added.size() > kMaxLength && detail::utf8_length(added) > kMaxLength) detail::throw_formatted_too_long();
}

struct CompiledField {
  std::string literal;
  bool has_field = false;
  int root = -1;
  std::string spec;
  std::string error;  // thrown when evaluation reaches this field
};

// Python applies the conversion, then checks the spec, then parses: errors come in that order.
// Empty field names are numbered as str.format numbers its positional arguments.
CompiledField compile_field(const detail::TemplatePart& part, int& next_number, std::vector<Node>& nodes) {
  CompiledField field{part.literal, part.has_field, -1, std::string(part.spec), part.error};
  if (!part.has_field || !part.error.empty()) return field;
  try {
    const std::string name = part.name.empty() ? std::to_string(next_number++) : std::string(part.name);
    if (part.conversion == "r" || part.conversion == "a") {
      // repr() of the field text parses back to that text as a string constant.
      nodes.emplace_back(NodeKind::Str);
      nodes.back().text = name;
      field.root = static_cast<int>(nodes.size() - 1);
    } else if (!part.conversion.empty() && part.conversion != "s") {
      fail("Unknown conversion specifier " + std::string(part.conversion));
    }
    if (detail::utf8_length(part.spec) > detail::kMaxFormatSpecLength) {
      fail("format specification '" + field.spec + "' exceeds the maximum supported length of " +
           std::to_string(detail::kMaxFormatSpecLength));
    }
    if (field.root < 0) field.root = detail::parse_field_expression(name, nodes);
  } catch (const ExpressionError& error) {
    field.error = error.what();
  }
  return field;
}

}  // namespace

struct Expression::Impl {
  std::string text;
  std::vector<Node> nodes;
  std::vector<CompiledField> fields;
  std::size_t literal_size = 0;
};

Expression::Expression(std::string_view text) : impl_(std::make_unique<Impl>()) {
  impl_->text = text;
  int next_number = 0;
  for (const detail::TemplatePart& part : detail::split_template(text)) {
    impl_->fields.push_back(compile_field(part, next_number, impl_->nodes));
    impl_->literal_size += part.literal.size();
  }
}

Expression::~Expression() = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;

const std::string& Expression::text() const { return impl_->text; }

std::string Expression::evaluate(std::string_view node, const AttributeLookup& lookup) const {
  const Evaluator evaluator(impl_->nodes, node, lookup);
  std::string out;
  out.reserve(impl_->literal_size + 16 * impl_->fields.size());
  for (const CompiledField& field : impl_->fields) {
    out += field.literal;
    if (!field.error.empty()) throw ExpressionError(field.error);
    if (!field.has_field) continue;
    Value value = evaluator.eval(field.root);
    coerce_to_int(value);
    append_formatted(value, field.spec, out);
  }
  return out;
}

}  // namespace confluent::attrdb
