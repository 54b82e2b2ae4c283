#pragma once
// Number runs inside names and the ranges built from them; private to the noderange module.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "noderange/noderange.h"

namespace confluent::noderange::detail {

// One maximal run of digits or of non-digits: "r1u02.lab" is r,1,u,02,.lab.
struct Run {
  std::string_view text;
  bool digits;
};
void split_runs(std::string_view name, std::vector<Run>& runs);

// nullopt when `digits` is empty, holds anything but digits, or does not fit 64 bits.
std::optional<uint64_t> parse_number(std::string_view digits);
// Appends `value` zero-padded on the left to at least `width` digits.
void append_padded(std::string& out, uint64_t value, size_t width);

struct NumberRange {
  uint64_t first;
  uint64_t last;
  uint64_t step;
  size_t width;  // digits of the left bound: padding follows it
  // Saturates instead of wrapping, so that the size guard still sees 0..2^64-1.
  uint64_t count() const {
    uint64_t span = (last - first) / step;
    return span == UINT64_MAX ? span : span + 1;
  }
};

// A name range: fixed text around the number positions that vary.
struct RangeShape {
  std::vector<std::string> literals;  // one more than positions
  std::vector<NumberRange> positions;
};

// The delimiter a name would be ranged with, in the order upstream tries them
// (":", "..", "-", "+"), or "" when the name holds none.
std::string_view range_delimiter(std::string_view name);
// `name` read as a range with `delimiter`; nullopt when it is not a valid one (bounds
// with different text, descending, equal values with different padding).
std::optional<RangeShape> name_range_shape(std::string_view name, std::string_view delimiter);

// The values of one position in a name: listed, or a number range formatted on the fly
// (n[1-1000000] never holds a million number strings).
struct Position {
  NodeList values;
  std::optional<NumberRange> range;
  uint64_t size() const { return range ? range->count() : values.size(); }
};

// Literal text interleaved with positions; expands to their Cartesian product.
struct Template {
  std::vector<std::string> literals;  // one more than positions
  std::vector<Position> positions;
};
Template make_template(const RangeShape& shape);
// The names in natural order, without duplicates.
NodeList expand_template(const Template& tmpl, size_t max_names, std::string_view piece);

// One atom inside "[]": a number range with optional step or a count form; nullopt for
// text to take verbatim.
std::optional<NumberRange> numeric_range(std::string_view text);
NodeList numeric_atom(std::string_view text, size_t max_names);

[[noreturn]] void throw_too_many(std::string_view piece, size_t max_names);
// 'value' with control and non-ASCII bytes escaped, so that messages stay on one line.
std::string quoted(std::string_view value);

}  // namespace confluent::noderange::detail
