// Evaluation of a parsed noderange against a Resolver (or none, in pure mode).
#include <algorithm>
#include <iterator>
#include <regex>

#include "base/error.h"
#include "base/natural_sort.h"
#include "noderange/noderange.h"
#include "noderange/numeric.h"
#include "noderange/parser.h"

namespace confluent::noderange {

using detail::quoted;

namespace {

enum class EvalMode { Strict, Lenient, Pure };

[[noreturn]] void throw_not_found(const std::string& message) { throw Error(ErrorKind::NotFound, message); }

std::string regex_problem(std::regex_constants::error_type code) {
  namespace rc = std::regex_constants;
  switch (code) {
    case rc::error_collate: return "invalid character class or collating element";
    case rc::error_ctype: return "invalid character class";
    case rc::error_escape: return "invalid escape";
    case rc::error_backref: return "invalid back reference";
    case rc::error_brack: return "invalid bracket expression";
    // Patterns cannot hold grouping parentheses (they are noderange tokens); libstdc++
    // reports a quantifier with nothing before it ('*n') this way.
    case rc::error_paren: return "nothing to repeat";
    case rc::error_brace: return "unbalanced '{'";
    case rc::error_badbrace: return "invalid repetition count";
    case rc::error_range: return "invalid character range";
    case rc::error_badrepeat: return "nothing to repeat";
    case rc::error_complexity:
    case rc::error_stack: return "too complex to match";
    default: return "malformed";
  }
}

// ECMAScript and Python refuse a quantifier on a quantifier ('n**'); libstdc++ takes it
// as (n*)*, which backtracks exponentially on names that do not match.
bool stacked_quantifier(std::string_view pattern) {
  bool in_class = false;
  char previous = 0;
  for (char c : pattern) {
    if (in_class) {
      in_class = c != ']';
      previous = c;
      continue;
    }
    bool quantifier = c == '*' || c == '+';
    if (quantifier && (previous == '*' || previous == '+')) return true;
    in_class = c == '[';
    previous = c;
  }
  return false;
}

void paginate(NodeList& nodes, std::optional<uint64_t> skip, std::optional<uint64_t> limit) {
  if (skip) nodes.erase(nodes.begin(), nodes.begin() + static_cast<ptrdiff_t>(std::min<uint64_t>(*skip, nodes.size())));
  if (limit && *limit < nodes.size()) nodes.resize(*limit);
}

NodeList combine(NodeList acc, const NodeList& value, detail::SetOp op) {
  if (op == detail::SetOp::Intersection) return set_intersection(acc, value);
  return value.empty() ? acc : set_difference(acc, value);
}

class Evaluator {
 public:
  Evaluator(Resolver* resolver, EvalMode mode, size_t max_names, std::vector<std::string>& groups_in_use)
      : resolver_(resolver), mode_(mode), max_names_(max_names), groups_in_use_(groups_in_use) {}

  NodeList run(std::string_view text) {
    text_ = text;
    return list(detail::parse(text), false);
  }

 private:
  NodeList list(const detail::ListExpr& expr, bool numeric);
  NodeList item(const detail::Item& item, const NodeList& acc, bool numeric);
  NodeList regex(const detail::Atom& atom, const NodeList& candidates);
  NodeList bracket_name(const detail::Atom& atom);
  detail::Position bracket_values(const detail::ListExpr& numbers);
  NodeList plain_name(std::string_view name);
  NodeList range(std::string_view text, std::string_view delimiter);
  NodeList resolve(NodeList names, std::string_view source, bool from_bracket);
  NodeList group(std::string_view name, GroupInfo info);
  const NodeList& all_nodes();

  Resolver* resolver_;
  EvalMode mode_;
  size_t max_names_;
  std::vector<std::string>& groups_in_use_;  // dynamic groups being expanded, to stop cycles
  std::string_view text_;
};

NodeList Evaluator::list(const detail::ListExpr& expr, bool numeric) {
  NodeList acc;
  if (expr.pages_all_nodes) acc = all_nodes();
  // Unions append and sort once, so that a list of many names (n1,n2,...) stays n log n.
  bool sorted = true;
  auto normalize = [&] {
    if (!sorted) natural_sort_unique(acc);
    sorted = true;
  };
  for (const detail::Item& it : expr.items) {
    if (it.op != detail::SetOp::Union) normalize();
    NodeList value = item(it, acc, numeric);
    if (it.op != detail::SetOp::Union) {
      acc = combine(std::move(acc), value, it.op);
    } else if (acc.empty()) {
      acc = std::move(value);
      sorted = true;
    } else if (!value.empty()) {
      sorted = sorted && natural_less(acc.back(), value.front());
      acc.insert(acc.end(), std::make_move_iterator(value.begin()), std::make_move_iterator(value.end()));
    }
    if (acc.size() > max_names_) normalize();
    if (acc.size() > max_names_) detail::throw_too_many(text_, max_names_);
  }
  normalize();
  // Pagination applies to the list it ends, whatever operator came before it (upstream
  // intersects with an empty set after '@').
  paginate(acc, expr.skip, expr.limit);
  return acc;
}

NodeList Evaluator::item(const detail::Item& it, const NodeList& acc, bool numeric) {
  if (it.list) return list(*it.list, numeric);
  const detail::Atom& atom = it.atom;
  if (numeric) return detail::numeric_atom(atom.text, max_names_);
  if (atom.kind == detail::AtomKind::Name) {
    return atom.parts.size() > 1 ? bracket_name(atom) : plain_name(atom.text);
  }
  if (mode_ == EvalMode::Pure) throw_not_found("regular expressions and attribute filters need the attribute store");
  // Only the accumulator can survive ',-' and '@', so matching elsewhere would be wasted.
  const NodeList& candidates = it.op == detail::SetOp::Union ? resolver_->all_nodes() : acc;
  if (atom.kind == detail::AtomKind::Regex) return regex(atom, candidates);
  NodeList out = resolver_->filter(atom.filter, candidates);
  natural_sort_unique(out);
  return out;
}

NodeList Evaluator::regex(const detail::Atom& atom, const NodeList& candidates) {
  std::string pattern = atom.text.substr(1);
  if (stacked_quantifier(pattern)) {
    throw_not_found("invalid regular expression " + quoted(pattern) + ": multiple repeat");
  }
  NodeList out;
  try {
    std::regex re(pattern, std::regex::ECMAScript);
    for (const std::string& name : candidates) {
      if (std::regex_search(name, re)) out.push_back(name);
    }
  } catch (const std::regex_error& e) {
    throw_not_found("invalid regular expression " + quoted(pattern) + ": " + regex_problem(e.code()));
  }
  natural_sort_unique(out);
  return out;
}

NodeList Evaluator::bracket_name(const detail::Atom& atom) {
  detail::Template tmpl;
  for (const detail::NamePart& part : atom.parts) {
    tmpl.literals.push_back(part.literal);
    if (part.numbers) tmpl.positions.push_back(bracket_values(*part.numbers));
  }
  return resolve(detail::expand_template(tmpl, max_names_, atom.text), atom.text, true);
}

detail::Position Evaluator::bracket_values(const detail::ListExpr& numbers) {
  // The common [a-b] is kept as a range, formatted while the names are built.
  if (numbers.items.size() == 1 && !numbers.items[0].list && !numbers.skip && !numbers.limit) {
    if (auto range = detail::numeric_range(numbers.items[0].atom.text)) return {{}, range};
  }
  return {list(numbers, true), std::nullopt};
}

NodeList Evaluator::plain_name(std::string_view name) {
  if (resolver_) {
    // An exact node or group name wins over reading it as a range (node-a).
    if (resolver_->is_node(name)) return {std::string(name)};
    if (auto info = resolver_->group(name)) return group(name, std::move(*info));
  }
  std::string_view delimiter = detail::range_delimiter(name);
  if (!delimiter.empty()) return range(name, delimiter);
  if (mode_ == EvalMode::Strict) throw_not_found(quoted(name) + " is not a recognized node, group, or alias");
  return {std::string(name)};
}

NodeList Evaluator::range(std::string_view text, std::string_view delimiter) {
  auto shape = detail::name_range_shape(text, delimiter);
  if (!shape) {
    if (mode_ == EvalMode::Strict) throw_not_found(quoted(text) + " is not a valid range");
    return {std::string(text)};  // a literal name that merely looks like a range
  }
  return resolve(detail::expand_template(detail::make_template(*shape), max_names_, text), text, false);
}

// Generated names (sorted) become nodes, group members, or (outside strict mode) literals.
NodeList Evaluator::resolve(NodeList names, std::string_view source, bool from_bracket) {
  if (mode_ == EvalMode::Pure) return names;
  NodeList kept, members;
  kept.reserve(names.size());
  for (std::string& name : names) {
    if (resolver_->is_node(name)) {
      kept.push_back(std::move(name));
    } else if (auto info = resolver_->group(name)) {
      NodeList expanded = group(name, std::move(*info));
      members.insert(members.end(), std::make_move_iterator(expanded.begin()), std::make_move_iterator(expanded.end()));
      if (members.size() > max_names_) detail::throw_too_many(source, max_names_);
    } else if (mode_ == EvalMode::Lenient) {
      kept.push_back(std::move(name));
    } else if (from_bracket) {
      // Names come in natural order, so the first missing one is reported: deterministic.
      throw_not_found(quoted(name) + " is not a recognized node, group, or alias");
    } else {
      throw_not_found("unknown node " + quoted(name) + " in range " + quoted(source));
    }
  }
  if (!members.empty()) {
    kept.insert(kept.end(), std::make_move_iterator(members.begin()), std::make_move_iterator(members.end()));
    natural_sort_unique(kept);
  }
  return kept;
}

NodeList Evaluator::group(std::string_view name, GroupInfo info) {
  NodeList members = std::move(info.members);
  natural_sort_unique(members);
  if (info.noderange.empty()) return members;
  if (std::find(groups_in_use_.begin(), groups_in_use_.end(), name) != groups_in_use_.end()) {
    throw_not_found("group " + quoted(name) + " refers to itself");
  }
  groups_in_use_.emplace_back(name);
  NodeList dynamic = Evaluator(resolver_, mode_, max_names_, groups_in_use_).run(info.noderange);
  groups_in_use_.pop_back();
  return members.empty() ? dynamic : set_union(members, dynamic);
}

const NodeList& Evaluator::all_nodes() {
  if (!resolver_) throw_not_found("pagination over all nodes needs the attribute store");
  return resolver_->all_nodes();
}

NodeList evaluate(std::string_view text, Resolver* resolver, EvalMode mode, size_t max_names) {
  std::vector<std::string> groups_in_use;
  return Evaluator(resolver, mode, max_names, groups_in_use).run(text);
}

}  // namespace

NodeList expand(std::string_view text, Resolver& resolver, Mode mode) {
  return expand(text, resolver, mode, kMaxNames);
}

NodeList expand(std::string_view text, Resolver& resolver, Mode mode, size_t max_names) {
  return evaluate(text, &resolver, mode == Mode::Strict ? EvalMode::Strict : EvalMode::Lenient, max_names);
}

NodeList expand_pure(std::string_view text) { return expand_pure(text, kMaxNames); }

NodeList expand_pure(std::string_view text, size_t max_names) {
  return evaluate(text, nullptr, EvalMode::Pure, max_names);
}

NodeList set_union(const NodeList& a, const NodeList& b) {
  NodeList out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), NaturalLess{});
  return out;
}

NodeList set_difference(const NodeList& a, const NodeList& b) {
  NodeList out;
  out.reserve(a.size());
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), NaturalLess{});
  return out;
}

NodeList set_intersection(const NodeList& a, const NodeList& b) {
  NodeList out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), NaturalLess{});
  return out;
}

}  // namespace confluent::noderange
