#pragma once
// The noderange syntax tree and its parser; private to the noderange module.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "noderange/noderange.h"

namespace confluent::noderange::detail {

enum class SetOp { Union, Difference, Intersection };
enum class AtomKind { Name, Regex, Filter };

struct ListExpr;

// A name is literal text interleaved with bracket lists: r[1-2]u[1-3].lab is
// {"r", [1-2]}, {"u", [1-3]}, {".lab", none}.
struct NamePart {
  std::string literal;
  std::unique_ptr<ListExpr> numbers;  // null only in the last part
};

struct Atom {
  AtomKind kind = AtomKind::Name;
  std::string text;             // all its tokens joined, brackets included
  std::vector<NamePart> parts;  // Name only
  Filter filter{};              // Filter only
};

struct Item {
  SetOp op = SetOp::Union;
  std::unique_ptr<ListExpr> list;  // a parenthesised list, else `atom`
  Atom atom;
};

struct ListExpr {
  std::vector<Item> items;
  std::optional<uint64_t> skip;   // <N
  std::optional<uint64_t> limit;  // >N
  bool pages_all_nodes = false;   // starts with <N or >N: the items combine with all nodes
};

// Throws confluent::Error(ErrorKind::NotFound) naming the offending piece of `text`.
ListExpr parse(std::string_view text);

}  // namespace confluent::noderange::detail
