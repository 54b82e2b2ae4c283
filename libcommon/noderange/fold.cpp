// Reverse abbreviation: a node list back to a short noderange (collate -a, nodelist folding).
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "base/natural_sort.h"
#include "base/strings.h"
#include "noderange/noderange.h"
#include "noderange/numeric.h"

namespace confluent::noderange {

namespace {

using Values = std::vector<std::string_view>;
// A Cartesian block of names: the values taken by each number position.
using Box = std::vector<Values>;

struct Piece {
  std::string first;  // its first name, to order the pieces
  std::string text;
};

// Names that differ only in their digit runs; `numbers` holds those runs row by row.
struct Family {
  std::vector<std::string_view> literals;  // one more than the number positions
  Values numbers;
};

void sort_unique(Values& values) {
  if (!std::is_sorted(values.begin(), values.end(), NaturalLess{})) {
    std::sort(values.begin(), values.end(), NaturalLess{});
  }
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

// Groups wholly inside `rest`, largest first, each taking its members out of `rest`.
std::vector<std::string> take_groups(NodeList& rest, const std::vector<FoldGroup>& groups) {
  std::vector<const FoldGroup*> order;
  for (const FoldGroup& g : groups) {
    if (!g.members.empty() && g.members.size() <= rest.size()) order.push_back(&g);
  }
  std::stable_sort(order.begin(), order.end(), [](const FoldGroup* a, const FoldGroup* b) {
    if (a->members.size() != b->members.size()) return a->members.size() > b->members.size();
    return natural_less(a->name, b->name);
  });
  std::vector<std::string> taken;
  if (order.empty()) return taken;
  std::unordered_set<std::string_view> remaining(rest.begin(), rest.end());
  for (const FoldGroup* g : order) {
    auto present = [&](const std::string& m) { return remaining.count(m) != 0; };
    if (!std::all_of(g->members.begin(), g->members.end(), present)) continue;
    for (const std::string& m : g->members) remaining.erase(m);
    taken.push_back(g->name);
  }
  if (taken.empty()) return taken;
  NodeList left;
  for (const std::string& name : rest) {
    if (remaining.count(name)) left.push_back(name);
  }
  rest = std::move(left);
  return taken;
}

// Folds the last position first: prefixes sharing the same set of last values become one
// block whose prefixes fold again, one position down. r1u1,r1u2,r2u1,r2u2 -> r[1-2]u[1-2].
std::vector<Box> fold_rows(const Values& flat, size_t dims) {
  if (dims == 1) {
    Values values = flat;
    sort_unique(values);
    return {Box{std::move(values)}};
  }
  size_t rows = flat.size() / dims;
  std::unordered_map<std::string, size_t> prefix_index;
  std::vector<std::pair<size_t, Values>> prefixes;  // first row, its last values
  std::string key;
  for (size_t r = 0; r < rows; ++r) {
    key.clear();
    for (size_t k = 0; k + 1 < dims; ++k) (key += flat[r * dims + k]) += ',';  // digits only: ',' is safe
    auto [it, fresh] = prefix_index.try_emplace(key, prefixes.size());
    if (fresh) prefixes.emplace_back(r, Values{});
    prefixes[it->second].second.push_back(flat[r * dims + dims - 1]);
  }
  std::unordered_map<std::string, size_t> set_index;
  std::vector<std::pair<Values, Values>> sets;  // last values, the prefixes having them
  for (auto& [row, lasts] : prefixes) {
    sort_unique(lasts);
    key.clear();
    for (std::string_view v : lasts) (key += v) += ',';
    auto [it, fresh] = set_index.try_emplace(key, sets.size());
    if (fresh) sets.emplace_back(std::move(lasts), Values{});
    Values& prefix_rows = sets[it->second].second;
    auto begin = flat.begin() + static_cast<ptrdiff_t>(row * dims);
    prefix_rows.insert(prefix_rows.end(), begin, begin + static_cast<ptrdiff_t>(dims - 1));
  }
  std::vector<Box> boxes;
  for (auto& [lasts, prefix_rows] : sets) {
    for (Box& box : fold_rows(prefix_rows, dims - 1)) {
      box.push_back(lasts);
      boxes.push_back(std::move(box));
    }
  }
  return boxes;
}

void append_run(std::string& out, std::string_view start, std::string_view end) {
  if (!out.empty()) out += ',';
  out += start;
  if (end != start) (out += '-') += end;
}

// "1-3,5" for 1,2,3,5. A run goes on only while padding to its first value's width
// reproduces the next name, which is how the bracket expands it again (7-8,09-10).
std::string render_values(const Values& values) {
  std::string out, next;
  auto is_padded = [](std::string_view v) { return v.size() > 1 && v[0] == '0'; };
  bool padded = std::any_of(values.begin(), values.end(), is_padded);
  if (!padded) {  // one spelling per number: runs are consecutive in sorted order
    for (size_t i = 0; i < values.size();) {
      size_t j = i;
      for (auto n = detail::parse_number(values[i]); n && j + 1 < values.size() && *n != UINT64_MAX; ++j, ++*n) {
        next.clear();
        detail::append_padded(next, *n + 1, 0);
        if (values[j + 1] != next) break;
      }
      append_run(out, values[i], values[j]);
      i = j + 1;
    }
    return out;
  }
  // n01,n1,n02,n2: a run may skip over the other spellings, so look values up.
  std::unordered_set<std::string_view> unused(values.begin(), values.end());
  for (std::string_view start : values) {
    if (unused.erase(start) == 0) continue;  // already inside an earlier run
    std::string_view end = start;
    auto number = detail::parse_number(start);
    for (uint64_t n = number.value_or(UINT64_MAX); n != UINT64_MAX; ++n) {
      next.clear();
      detail::append_padded(next, n + 1, start.size());
      auto it = unused.find(next);
      if (it == unused.end()) break;
      end = *it;
      unused.erase(it);
    }
    append_run(out, start, end);
  }
  return out;
}

bool reads_as_range(std::string_view name) {
  std::string_view delimiter = detail::range_delimiter(name);
  return !delimiter.empty() && detail::name_range_shape(name, delimiter).has_value();
}

// A single name is written literally, unless the literal would read as a range (a node
// called n1-n3): then its last number goes in brackets, because names made by brackets
// are taken as they are.
std::string protect(std::string_view name, size_t at, size_t len) {
  std::string out(name.substr(0, at));
  ((out += '[') += name.substr(at, len)) += ']';
  return out += name.substr(at + len);
}

Piece render_box(const Family& family, const Box& box) {
  Piece piece;
  size_t last_at = 0;
  bool single = true;
  for (size_t k = 0; k < box.size(); ++k) {
    piece.text += family.literals[k];
    piece.first += family.literals[k];
    piece.first += box[k].front();
    last_at = piece.text.size();
    if (box[k].size() == 1) {
      piece.text += box[k].front();
    } else {
      single = false;
      ((piece.text += '[') += render_values(box[k])) += ']';
    }
  }
  piece.text += family.literals.back();
  piece.first += family.literals.back();
  if (single && reads_as_range(piece.text)) piece.text = protect(piece.text, last_at, box.back().front().size());
  return piece;
}

std::vector<Piece> fold_names(const NodeList& names) {
  std::unordered_map<std::string, size_t> index;
  std::vector<Family> families;
  std::vector<Piece> pieces;
  std::vector<detail::Run> runs;
  std::string key;
  for (const std::string& name : names) {
    detail::split_runs(name, runs);
    key.clear();
    for (const detail::Run& r : runs) {  // the text runs, length-prefixed so keys never collide
      key += r.digits ? "D" : "T" + std::to_string(r.text.size()) + ":";
      if (!r.digits) key += r.text;
    }
    auto [it, fresh] = index.try_emplace(key, families.size());
    if (fresh) {
      families.emplace_back();
      families.back().literals.emplace_back();
      for (const detail::Run& r : runs) {
        if (r.digits) families.back().literals.emplace_back();
        else families.back().literals.back() = r.text;
      }
    }
    Family& family = families[it->second];
    if (family.literals.size() == 1) pieces.push_back({name, name});  // no digits: never a range
    for (const detail::Run& r : runs) {
      if (r.digits) family.numbers.push_back(r.text);
    }
  }
  for (const Family& family : families) {
    if (family.literals.size() == 1) continue;
    for (const Box& box : fold_rows(family.numbers, family.literals.size() - 1)) {
      pieces.push_back(render_box(family, box));
    }
  }
  return pieces;
}

}  // namespace

std::string fold(const NodeList& names, const std::vector<FoldGroup>& groups) {
  NodeList rest = names;
  natural_sort_unique(rest);
  std::vector<std::string> out = take_groups(rest, groups);
  std::vector<Piece> pieces = fold_names(rest);
  auto by_first = [](const Piece& a, const Piece& b) { return natural_less(a.first, b.first); };
  std::sort(pieces.begin(), pieces.end(), by_first);
  for (Piece& p : pieces) {
    // After a comma a leading '-' would read as the difference operator ",-".
    out.push_back(p.text[0] == '-' ? "(" + p.text + ")" : std::move(p.text));
  }
  return join(out, ",");
}

}  // namespace confluent::noderange
