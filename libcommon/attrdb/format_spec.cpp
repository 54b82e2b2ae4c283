// Python's text forms of the two types a field can hold, int and str: the format mini-language
// (following CPython's Python/formatter_unicode.c closely enough that the error texts match),
// int() on a string, and repr() for error messages. Lengths count code points, as Python does.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "attrdb/expression.h"
#include "attrdb/expression_ast.h"

namespace confluent::attrdb {
namespace detail {

std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return std::min(length, text.size() - pos);
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

char32_t utf8_decode(std::string_view text, std::size_t pos) {
  static constexpr unsigned char kLeadBits[] = {0, 0xFF, 0x1F, 0x0F, 0x07};
  const std::size_t length = utf8_sequence_length(text, pos);
  char32_t code_point = static_cast<unsigned char>(text[pos]) & kLeadBits[length];
  for (std::size_t i = 1; i < length; ++i) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
  }
  return code_point;
}

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
    return;
  }
  const int continuation_bytes = code_point < 0x800 ? 1 : code_point < 0x10000 ? 2 : 3;
  static constexpr unsigned char kLeadMarks[] = {0, 0xC0, 0xE0, 0xF0};
  out += static_cast<char>(kLeadMarks[continuation_bytes] | (code_point >> (6 * continuation_bytes)));
  for (int i = continuation_bytes - 1; i >= 0; --i) {
    out += static_cast<char>(0x80 | ((code_point >> (6 * i)) & 0x3F));
  }
}

std::string python_repr(std::string_view text) {
  const bool double_quote = text.find('\'') != text.npos && text.find('"') == text.npos;
  const char quote = double_quote ? '"' : '\'';
  std::string out(1, quote);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out.append({'\\', c});
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out.append({'\\', c == '\n' ? 'n' : c == '\r' ? 'r' : 't'});
    } else if (byte < 0x20 || byte == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out.append({'\\', 'x', kHex[byte >> 4], kHex[byte & 15]});
    } else {
      out += c;
    }
  }
  out += quote;
  std::size_t cut = std::min<std::size_t>(out.size(), 200);
  while (cut < out.size() && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  return out.substr(0, cut);
}

// Python's int(text): surrounding whitespace, a sign, digits with single underscores between.
IntText parse_python_int(std::string_view text, long long& value) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const std::size_t begin = text.find_first_not_of(kSpace);
  if (begin == text.npos) return IntText::Invalid;
  text = text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
  const bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') text.remove_prefix(1);
  unsigned long long magnitude = 0;
  const unsigned long long limit = negative ? 1ULL << 63 : (1ULL << 63) - 1;
  bool too_large = false;
  bool need_digit = true;
  for (char c : text) {
    if (c == '_' && !need_digit) {
      need_digit = true;
      continue;
    }
    if (c < '0' || c > '9') return IntText::Invalid;
    need_digit = false;
    const auto digit = static_cast<unsigned>(c - '0');
    too_large = too_large || magnitude > (limit - digit) / 10;
    magnitude = too_large ? magnitude : magnitude * 10 + digit;
  }
  if (need_digit) return IntText::Invalid;
  if (too_large) return IntText::TooLarge;
  value = negative ? static_cast<long long>(0ULL - magnitude) : static_cast<long long>(magnitude);
  return IntText::Fits;
}

std::string canonical_int_text(std::string_view text) {
  std::string canonical;
  for (char c : text) {
    const bool leading_zero = c == '0' && (canonical.empty() || canonical == "-");
    if (c == '-' || (c >= '0' && c <= '9' && !leading_zero)) canonical += c;
  }
  return canonical;
}

void throw_formatted_too_long() {
  throw ExpressionError("formatted value exceeds the maximum supported length of " +
                        std::to_string(kMaxFormattedLength));
}

}  // namespace detail

namespace {

using detail::kMaxFormattedLength;

struct FormatSpec {
  std::string_view fill = " ";
  bool fill_specified = false;
  char align = 0;
  char sign = 0;
  bool no_negative_zero = false;
  bool alternate = false;
  long width = -1;
  char grouping = 0;
  long precision = -1;
  char32_t type = 0;
};

[[noreturn]] void fail(const std::string& message) { throw ExpressionError(message); }

// CPython prints printable ASCII codes as is and everything else as \x escapes.
std::string code_text(char32_t code) {
  if (code > 32 && code < 128) return std::string(1, static_cast<char>(code));
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "\\x%x", static_cast<unsigned>(code));
  return buffer;
}

[[noreturn]] void fail_unknown_code(char32_t type, std::string_view type_name) {
  fail("Unknown format code '" + code_text(type) + "' for object of type '" + std::string(type_name) + "'");
}

bool is_align(char c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

// -1 when no digits are there, as CPython records an absent width or precision.
long read_number(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  long value = 0;
  for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
    if (pos - start >= 18) fail("Too many decimal digits in format string");
    value = value * 10 + (text[pos] - '0');
  }
  return pos == start ? -1 : value;
}

void parse_fill_and_align(std::string_view text, FormatSpec& spec, std::size_t& pos, bool& align_specified) {
  const std::size_t first = text.empty() ? 0 : detail::utf8_sequence_length(text, 0);
  if (text.size() > first && is_align(text[first])) {
    spec.fill = text.substr(0, first);
    spec.fill_specified = true;
    spec.align = text[first];
    align_specified = true;
    pos = first + 1;
  } else if (!text.empty() && is_align(text[0])) {
    spec.align = text[0];
    align_specified = true;
    pos = 1;
  }
}

void parse_grouping(std::string_view text, FormatSpec& spec, std::size_t& pos) {
  for (char separator : {',', '_'}) {
    if (pos == text.size() || text[pos] != separator) continue;
    if (spec.grouping != 0) fail("Cannot specify both ',' and '_'.");
    spec.grouping = text[pos++];
  }
  if (pos < text.size() && text[pos] == ',' && spec.grouping == '_') fail("Cannot specify both ',' and '_'.");
}

void check_grouping_type(const FormatSpec& spec) {
  const auto type = static_cast<char>(spec.type < 128 ? spec.type : 0);
  if (spec.grouping == 0 || (type != 0 && std::string_view("defgEGF%").find(type) != std::string_view::npos)) return;
  if (spec.grouping == '_' && type != 0 && std::string_view("boxX").find(type) != std::string_view::npos) return;
  fail(std::string("Cannot specify '") + spec.grouping + "' with '" + code_text(spec.type) + "'.");
}

FormatSpec parse_spec(std::string_view text, char default_type, char default_align, std::string_view type_name) {
  FormatSpec spec;
  spec.type = static_cast<unsigned char>(default_type);
  spec.align = default_align;
  std::size_t pos = 0;
  bool align_specified = false;
  parse_fill_and_align(text, spec, pos, align_specified);
  const auto take = [&](char c) {
    if (pos == text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  };
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-' || text[pos] == ' ')) spec.sign = text[pos++];
  spec.no_negative_zero = take('z');
  spec.alternate = take('#');
  if (!spec.fill_specified && take('0')) {
    spec.fill = "0";
    if (!align_specified && default_align == '>') spec.align = '=';
  }
  spec.width = read_number(text, pos);
  parse_grouping(text, spec, pos);
  if (take('.')) {
    spec.precision = read_number(text, pos);
    if (spec.precision < 0) fail("Format specifier missing precision");
  }
  const std::string_view rest = text.substr(pos);
  if (detail::utf8_length(rest) > 1) {
    fail("Invalid format specifier '" + std::string(text) + "' for object of type '" + std::string(type_name) + "'");
  }
  if (!rest.empty()) spec.type = detail::utf8_decode(rest, 0);
  check_grouping_type(spec);
  return spec;
}

void append_fill(std::string& out, std::string_view fill, long count) {
  for (long i = 0; i < count; ++i) out += fill;
}

// CPython's _PyUnicode_InsertThousandsGrouping: zero padding becomes digits, grouped too.
std::string group_digits(std::string_view digits, long group, char separator, long min_width) {
  std::string reversed;
  auto remaining = static_cast<long>(digits.size());
  auto emit = [&](long length, bool with_separator) {
    if (with_separator) reversed += separator;
    const long chars = std::min(remaining, length);
    for (long i = 0; i < chars; ++i) reversed += digits[static_cast<std::size_t>(remaining - 1 - i)];
    reversed.append(static_cast<std::size_t>(std::max(0L, length - remaining)), '0');
    remaining -= chars;
  };
  if (group == 0) {
    emit(std::max({remaining, min_width, 1L}), false);
  } else {
    for (bool with_separator = false;; with_separator = true) {
      const long length = std::min(group, std::max({remaining, min_width, 1L}));
      emit(length, with_separator);
      min_width -= length;
      if (remaining <= 0 && min_width <= 0) break;
      min_width -= 1;
    }
  }
  return {reversed.rbegin(), reversed.rend()};
}

long group_size(const FormatSpec& spec) {
  if (spec.grouping == 0) return 0;
  const bool radix = spec.type == 'b' || spec.type == 'o' || spec.type == 'x' || spec.type == 'X';
  return radix ? 4 : 3;
}

// The layout of CPython's calc_number_widths and fill_number:
// <lpadding><sign><prefix><spadding><grouped digits><remainder><rpadding>
std::string layout_number(const FormatSpec& spec, bool negative, std::string_view prefix, std::string_view digits,
                          std::string_view remainder) {
  char sign = negative ? '-' : 0;
  if (!negative && (spec.sign == '+' || spec.sign == ' ')) sign = spec.sign;
  const auto non_digits = static_cast<long>((sign != 0) + prefix.size() + detail::utf8_length(remainder));
  const long min_width = (spec.fill == "0" && spec.align == '=') ? spec.width - non_digits : 0;
  const std::string grouped =
      digits.empty() ? std::string() : group_digits(digits, group_size(spec), spec.grouping, min_width);
  const long padding = spec.width - (non_digits + static_cast<long>(grouped.size()));
  long left = 0, middle = 0, right = 0;
  if (padding > 0) {
    left = spec.align == '>' ? padding : spec.align == '^' ? padding / 2 : 0;
    middle = spec.align == '=' ? padding : 0;
    right = spec.align == '<' ? padding : spec.align == '^' ? padding - padding / 2 : 0;
  }
  std::string out;
  append_fill(out, spec.fill, left);
  if (sign != 0) out += sign;
  out += prefix;
  append_fill(out, spec.fill, middle);
  out += grouped;
  out += remainder;
  append_fill(out, spec.fill, right);
  return out;
}

void check_width(const FormatSpec& spec) {
  if (spec.width > static_cast<long>(kMaxFormattedLength)) detail::throw_formatted_too_long();
}

void check_integral_spec(const FormatSpec& spec) {
  if (spec.precision >= 0) fail("Precision not allowed in integer format specifier");
  if (spec.no_negative_zero) fail("Negative zero coercion (z) not allowed in integer format specifier");
  check_width(spec);
}

std::string format_char(long long value, const FormatSpec& spec) {
  if (spec.sign != 0) fail("Sign not allowed with integer format specifier 'c'");
  if (spec.alternate) fail("Alternate form (#) not allowed with integer format specifier 'c'");
  if (value < 0 || value > 0x10FFFF) fail("%c arg not in range(0x110000)");
  if (value >= 0xD800 && value <= 0xDFFF) fail("surrogates not allowed");
  std::string character;
  detail::append_utf8(character, static_cast<char32_t>(value));
  return layout_number(spec, false, "", "", character);
}

std::string format_integral(long long value, const FormatSpec& spec) {
  check_integral_spec(spec);
  if (spec.type == 'c') return format_char(value, spec);
  int base = 10;
  std::string_view prefix;
  if (spec.type == 'b') {
    base = 2;
    prefix = "0b";
  } else if (spec.type == 'o') {
    base = 8;
    prefix = "0o";
  } else if (spec.type == 'x' || spec.type == 'X') {
    base = 16;
    prefix = spec.type == 'x' ? "0x" : "0X";
  }
  const unsigned long long magnitude =
      value < 0 ? 0ULL - static_cast<unsigned long long>(value) : static_cast<unsigned long long>(value);
  char buffer[72];
  char* end = std::to_chars(buffer, buffer + sizeof buffer, magnitude, base).ptr;
  if (spec.type == 'X') {
    std::transform(buffer, end, buffer, [](char c) { return c >= 'a' ? static_cast<char>(c - 32) : c; });
  }
  return layout_number(spec, value < 0, spec.alternate ? prefix : "",
                       std::string_view(buffer, static_cast<std::size_t>(end - buffer)), "");
}

// e, f, g and % on an int go through float, as in Python.
std::string format_as_float(long long value, const FormatSpec& spec) {
  check_width(spec);
  const long precision = spec.precision < 0 ? 6 : spec.precision;
  const bool fixed = spec.type != 'g' && spec.type != 'G';
  if (fixed && precision > static_cast<long>(kMaxFormattedLength)) detail::throw_formatted_too_long();
  std::string pattern = spec.alternate ? "%#.*" : "%.*";
  pattern += spec.type == '%' ? 'f' : static_cast<char>(spec.type);
  double magnitude = std::fabs(static_cast<double>(value));
  if (spec.type == '%') magnitude *= 100;
  const int size = std::snprintf(nullptr, 0, pattern.c_str(), static_cast<int>(precision), magnitude);
  std::string number(static_cast<std::size_t>(size) + 1, '\0');
  std::snprintf(number.data(), number.size(), pattern.c_str(), static_cast<int>(precision), magnitude);
  number.resize(static_cast<std::size_t>(size));
  if (spec.type == '%') number += '%';
  const std::size_t digits = number.find_first_not_of("0123456789");
  const std::string_view text = number;
  return layout_number(spec, value < 0, "", text.substr(0, digits),
                       digits == std::string::npos ? "" : text.substr(digits));
}

}  // namespace

std::string format_int(long long value, std::string_view spec) {
  if (spec.empty()) return std::to_string(value);
  const FormatSpec parsed = parse_spec(spec, 'd', '>', "int");
  switch (parsed.type) {
    case 'b':
    case 'c':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'n': return format_integral(value, parsed);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case '%': return format_as_float(value, parsed);
    default: fail_unknown_code(parsed.type, "int");
  }
}

std::string format_string(std::string_view value, std::string_view spec) {
  if (spec.empty()) return std::string(value);
  const FormatSpec parsed = parse_spec(spec, 's', '<', "str");
  if (parsed.type != 's') fail_unknown_code(parsed.type, "str");
  if (parsed.sign != 0) {
    fail(parsed.sign == ' ' ? "Space not allowed in string format specifier"
                            : "Sign not allowed in string format specifier");
  }
  if (parsed.no_negative_zero) fail("Negative zero coercion (z) not allowed in string format specifier");
  if (parsed.alternate) fail("Alternate form (#) not allowed in string format specifier");
  if (parsed.align == '=') fail("'=' alignment not allowed in string format specifier");
  check_width(parsed);
  std::string_view text = value;
  if (parsed.precision >= 0) {
    std::size_t end = 0;
    for (long i = 0; end < value.size() && i < parsed.precision; ++i) {
      end += detail::utf8_sequence_length(value, end);
    }
    text = value.substr(0, end);
  }
  // A string is laid out like a number that is all remainder: same padding rules.
  return layout_number(parsed, false, "", "", text);
}

namespace detail {

std::string format_big_int(std::string_view canonical, std::string_view spec) {
  const FormatSpec parsed = parse_spec(spec, 'd', '>', "int");
  if (parsed.type != 'd' && parsed.type != 'n') throw ExpressionError("integer value out of range");
  check_integral_spec(parsed);
  const bool negative = !canonical.empty() && canonical[0] == '-';
  return layout_number(parsed, negative, "", canonical.substr(negative ? 1 : 0), "");
}

}  // namespace detail
}  // namespace confluent::attrdb
