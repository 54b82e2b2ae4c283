#pragma once
// The confluent noderange language: text -> naturally sorted, duplicate-free node list.
// Pure module: no I/O. Whatever it needs to know about nodes and groups comes through a
// Resolver, which the attribute store implements; without one (pure mode) unknown names
// come back literally and regex or attribute atoms are an error.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confluent::noderange {

// Always naturally sorted (confluent::natural_compare) and free of duplicates.
using NodeList = std::vector<std::string>;

enum class FilterOp { Equal, ExactEqual, NotEqual, RegexMatch, RegexNotMatch };

struct Filter {
  std::string attribute;  // as written; may hold * or ? wildcards
  FilterOp op;
  std::string value;
};

struct GroupInfo {
  NodeList members;       // static members
  std::string noderange;  // dynamic membership expression, "" when none
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual bool is_node(std::string_view name) = 0;
  // nullopt when `name` is not a group.
  virtual std::optional<GroupInfo> group(std::string_view name) = 0;
  virtual const NodeList& all_nodes() = 0;
  // The subset of `candidates` matching the filter; throws confluent::Error for an
  // unknown or secret attribute name.
  virtual NodeList filter(const Filter& filter, const NodeList& candidates) = 0;
};

enum class Mode {
  Strict,   // every name must be a node or a group (nodeattrib, nodelist, ...)
  Lenient,  // names that are neither come back literally (noderange -e)
};

// Throws confluent::Error(ErrorKind::NotFound) with a one-line message naming the bad piece.
NodeList expand(std::string_view text, Resolver& resolver, Mode mode = Mode::Strict);
// No store: names and ranges expand syntactically, unknown names come back literally.
NodeList expand_pure(std::string_view text);

// Expansions beyond this many names are refused with an error instead of exhausting memory.
inline constexpr std::size_t kMaxNames = 10'000'000;
// The same with a lower cap (the fuzzer uses one to stay fast).
NodeList expand(std::string_view text, Resolver& resolver, Mode mode, std::size_t max_names);
NodeList expand_pure(std::string_view text, std::size_t max_names);

struct FoldGroup {
  std::string name;
  NodeList members;
};
// The compact form of `names`: groups wholly included first (largest first), then the
// rest as n[1-3,5] / r[1-2]u[01-10] with every varying number position compressed and
// zero padding kept. Round-trips: expand_pure(fold(x)) == x when no groups are given.
// (Names a noderange cannot spell are the exception: ones holding '=' or "!~", starting
// with '~' or '/', or holding characters outside the grammar.)
std::string fold(const NodeList& names, const std::vector<FoldGroup>& groups = {});

// Set operations on sorted lists (natural order), used by the evaluator and by callers.
NodeList set_union(const NodeList& a, const NodeList& b);
NodeList set_difference(const NodeList& a, const NodeList& b);
NodeList set_intersection(const NodeList& a, const NodeList& b);

}  // namespace confluent::noderange
