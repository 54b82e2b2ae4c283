#include "noderange/numeric.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "base/error.h"
#include "base/natural_sort.h"

namespace confluent::noderange::detail {

namespace {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

[[noreturn]] void throw_invalid_sequence(std::string_view text) {
  throw Error(ErrorKind::NotFound, "invalid numeric sequence " + quoted(text));
}

[[noreturn]] void throw_invalid_range(std::string_view text) {
  throw Error(ErrorKind::NotFound, quoted(text) + " is not a valid range");
}

// Splits `text` at the middle occurrence of `delimiter`, the way upstream rejoins the
// halves so that "rack-1-rack-3" still reads as rack-1 .. rack-3.
std::optional<std::pair<std::string_view, std::string_view>> split_bounds(std::string_view text,
                                                                          std::string_view delimiter) {
  std::vector<size_t> at;
  for (size_t pos = text.find(delimiter); pos != std::string_view::npos;
       pos = text.find(delimiter, pos + delimiter.size())) {
    at.push_back(pos);
  }
  if (at.size() % 2 == 0) return std::nullopt;  // an odd number of pieces has no middle
  size_t middle = at[at.size() / 2];
  return std::make_pair(text.substr(0, middle), text.substr(middle + delimiter.size()));
}

std::optional<RangeShape> bounds_shape(std::string_view left, std::string_view right) {
  std::vector<Run> lruns, rruns;
  split_runs(left, lruns);
  split_runs(right, rruns);
  // Without a number there is nothing to range over: "a-a" and "......" are names.
  auto has_number = [](const std::vector<Run>& runs) {
    return std::any_of(runs.begin(), runs.end(), [](const Run& r) { return r.digits; });
  };
  if (lruns.size() != rruns.size() || !has_number(lruns)) return std::nullopt;
  RangeShape shape;
  shape.literals.emplace_back();
  for (size_t k = 0; k < lruns.size(); ++k) {
    const Run& l = lruns[k];
    const Run& r = rruns[k];
    if (l.text == r.text) {
      shape.literals.back() += l.text;
      continue;
    }
    if (!l.digits || !r.digits) return std::nullopt;
    auto a = parse_number(l.text), b = parse_number(r.text);
    // Equal values here differ only in padding (n01-n1), which names no sensible range.
    if (!a || !b || *a >= *b) return std::nullopt;
    shape.positions.push_back({*a, *b, 1, l.text.size()});
    shape.literals.emplace_back();
  }
  return shape;
}

// n1+3 is n1..n4: the last number of the start is raised by the count.
std::optional<RangeShape> increment_shape(std::string_view text) {
  size_t plus = text.find('+');
  if (plus == std::string_view::npos || text.find('+', plus + 1) != std::string_view::npos) return std::nullopt;
  std::string_view start = text.substr(0, plus);
  auto count = parse_number(text.substr(plus + 1));
  std::vector<Run> runs;
  split_runs(start, runs);
  size_t last = runs.size();
  for (size_t k = 0; k < runs.size(); ++k) {
    if (runs[k].digits) last = k;
  }
  if (!count || last == runs.size()) return std::nullopt;
  auto first = parse_number(runs[last].text);
  if (!first || *count > std::numeric_limits<uint64_t>::max() - *first) return std::nullopt;
  size_t offset = static_cast<size_t>(runs[last].text.data() - start.data());
  RangeShape shape;
  shape.literals.emplace_back(start.substr(0, offset));
  shape.literals.emplace_back(start.substr(offset + runs[last].text.size()));
  shape.positions.push_back({*first, *first + *count, 1, runs[last].text.size()});
  return shape;
}

// True when the product comes out naturally sorted and unique, which saves a pass of
// natural_compare over every name: each position holds ascending, distinct numbers and
// sits between non-digits, so names compare by their values position by position.
bool in_natural_order(const Template& tmpl) {
  size_t n = tmpl.positions.size();
  for (size_t k = 0; k <= n; ++k) {
    const std::string& lit = tmpl.literals[k];
    if (k > 0 && k < n && lit.empty()) return false;  // two numbers would run together
    if (!lit.empty() && ((k > 0 && is_digit(lit.front())) || (k < n && is_digit(lit.back())))) return false;
  }
  for (const Position& p : tmpl.positions) {
    std::optional<uint64_t> previous;
    for (const std::string& v : p.values) {
      auto number = parse_number(v);
      if (!number || (previous && *number <= *previous)) return false;
      previous = number;
    }
  }
  return true;
}

uint64_t checked_product(uint64_t a, uint64_t b, size_t max_names, std::string_view piece) {
  if (b != 0 && a > max_names / b) throw_too_many(piece, max_names);
  return a * b;
}

}  // namespace

void split_runs(std::string_view name, std::vector<Run>& runs) {
  runs.clear();
  size_t start = 0;
  while (start < name.size()) {
    bool digits = is_digit(name[start]);
    size_t end = start + 1;
    while (end < name.size() && is_digit(name[end]) == digits) ++end;
    runs.push_back({name.substr(start, end - start), digits});
    start = end;
  }
}

std::optional<uint64_t> parse_number(std::string_view digits) {
  if (!all_digits(digits)) return std::nullopt;
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return value;
}

void append_padded(std::string& out, uint64_t value, size_t width) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;
  size_t len = static_cast<size_t>(ptr - buf);
  if (len < width) out.append(width - len, '0');
  out.append(buf, len);
}

std::string_view range_delimiter(std::string_view name) {
  if (name.find(':') != std::string_view::npos) return ":";
  if (name.find("..") != std::string_view::npos) return "..";
  if (name.find('-') != std::string_view::npos) return "-";
  if (name.find('+') != std::string_view::npos) return "+";
  return {};
}

std::optional<RangeShape> name_range_shape(std::string_view name, std::string_view delimiter) {
  if (delimiter == "+") return increment_shape(name);
  auto bounds = split_bounds(name, delimiter);
  if (!bounds) return std::nullopt;
  return bounds_shape(bounds->first, bounds->second);
}

Template make_template(const RangeShape& shape) {
  Template tmpl;
  tmpl.literals = shape.literals;
  for (const NumberRange& range : shape.positions) tmpl.positions.push_back({{}, range});
  return tmpl;
}

NodeList expand_template(const Template& tmpl, size_t max_names, std::string_view piece) {
  uint64_t total = 1;
  for (const Position& p : tmpl.positions) total = checked_product(total, p.size(), max_names, piece);
  if (total > max_names) throw_too_many(piece, max_names);
  NodeList out;
  if (total == 0) return out;
  out.reserve(total);
  size_t n = tmpl.positions.size();
  std::vector<uint64_t> index(n, 0);
  std::vector<size_t> offset(n + 1, 0);  // where literal k starts in `name`
  std::string name;
  size_t from = 0;  // the first position that changed: only the name from there is rebuilt
  while (true) {
    name.resize(offset[from]);
    for (size_t k = from; k < n; ++k) {
      const Position& p = tmpl.positions[k];
      offset[k] = name.size();
      name += tmpl.literals[k];
      if (p.range) append_padded(name, p.range->first + index[k] * p.range->step, p.range->width);
      else name += p.values[index[k]];
    }
    offset[n] = name.size();
    name += tmpl.literals[n];
    out.emplace_back(name);
    size_t k = n;  // odometer: the last position turns fastest
    while (k > 0 && ++index[k - 1] == tmpl.positions[k - 1].size()) index[--k] = 0;
    if (k == 0) break;
    from = k - 1;
  }
  if (!in_natural_order(tmpl)) natural_sort_unique(out);
  return out;
}

std::optional<NumberRange> numeric_range(std::string_view text) {
  bool plus = text.find('+') != std::string_view::npos;
  bool ranged = text.find_first_of("-:") != std::string_view::npos || text.find("..") != std::string_view::npos;
  if (!plus && !ranged) return std::nullopt;
  if (plus && ranged) throw_invalid_sequence(text);
  if (plus) {
    auto shape = increment_shape(text);
    if (!shape || !shape->literals[0].empty() || !shape->literals[1].empty()) throw_invalid_sequence(text);
    return shape->positions[0];
  }
  // first, a delimiter (-, :, ..), last, and optionally :step
  size_t end = text.find_first_not_of("0123456789");
  size_t delim = text.compare(end, 2, "..") == 0 ? 2 : 1;
  std::string_view first = text.substr(0, end), rest = text.substr(end + delim);
  size_t colon = rest.find(':');
  std::string_view last = rest.substr(0, colon);
  std::string_view step = colon == std::string_view::npos ? "1" : rest.substr(colon + 1);
  auto a = parse_number(first), b = parse_number(last), s = parse_number(step);
  if (!a || !b || !s || *s == 0) throw_invalid_sequence(text);
  if (*a > *b || (*a == *b && first != last)) throw_invalid_range(text);
  return NumberRange{*a, *b, *s, first.size()};
}

NodeList numeric_atom(std::string_view text, size_t max_names) {
  auto range = numeric_range(text);
  if (!range) return {std::string(text)};
  if (range->count() > max_names) throw_too_many(text, max_names);
  NodeList out;
  out.reserve(range->count());
  std::string number;
  for (uint64_t v = range->first;; v += range->step) {
    number.clear();
    append_padded(number, v, range->width);
    out.push_back(number);
    if (range->last - v < range->step) break;  // stepping on would pass the end (or overflow)
  }
  return out;
}

void throw_too_many(std::string_view piece, size_t max_names) {
  throw Error(ErrorKind::NotFound,
              "noderange " + quoted(piece) + " expands to more than " + std::to_string(max_names) + " names");
}

std::string quoted(std::string_view value) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "'";
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 0xf];
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

}  // namespace confluent::noderange::detail
