// Attribute filters of the noderange language (attr=value, attr!=value, attr=~re, attr!~re).
#include <regex>

#include "attrdb/database.h"
#include "attrdb/schema.h"
#include "base/error.h"
#include "base/strings.h"

namespace confluent::attrdb {

using noderange::Filter;
using noderange::FilterOp;

noderange::NodeList Database::filter(const Filter& f, const noderange::NodeList& candidates) {
  std::string name = schema::resolve_alias(f.attribute);
  if (schema::is_secret(name) || schema::is_crypted(name)) {
    throw Error(ErrorKind::Invalid, "filter by secret attributes is not supported");
  }
  if (!schema::is_known_name_or_pattern(name)) {
    throw Error(ErrorKind::Invalid, "'" + f.attribute + "' is not a valid attribute name");
  }
  std::regex re;
  bool is_regex = f.op == FilterOp::RegexMatch || f.op == FilterOp::RegexNotMatch;
  if (is_regex) {
    try {
      re = std::regex(f.value, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw Error(ErrorKind::Invalid, "invalid regular expression '" + f.value + "': " + e.what());
    }
  }
  Filter canonical{name, f.op, f.value};
  noderange::NodeList out;
  for (const auto& node : candidates) {
    if (matches_filter(node, canonical, is_regex ? &re : nullptr)) out.push_back(node);
  }
  return out;
}

// A node matches when any candidate value passes: the attribute's own value when it has
// one, otherwise every attribute whose name glob-matches, plus "" (unset compares as empty).
bool Database::matches_filter(std::string_view node, const Filter& f, const void* regex) {
  std::vector<std::string> values;
  ResolvedValue exact = has_glob(f.attribute) ? ResolvedValue{} : resolve(node, f.attribute);
  if (exact.set && !exact.is_protected) {
    values.push_back(exact.value);
  } else {
    for (const auto& name : current_names(node)) {
      if (!glob_match(f.attribute, name)) continue;
      ResolvedValue v = resolve(node, name);
      if (!v.is_protected) values.push_back(v.value);
    }
    values.emplace_back();
  }
  const auto* re = static_cast<const std::regex*>(regex);
  for (const auto& v : values) {
    switch (f.op) {
      case FilterOp::Equal:
      case FilterOp::ExactEqual:
        if (v == f.value) return true;
        break;
      case FilterOp::NotEqual:
        if (v != f.value) return true;
        break;
      case FilterOp::RegexMatch:
        if (std::regex_search(v, *re)) return true;
        break;
      case FilterOp::RegexNotMatch:
        if (!std::regex_search(v, *re)) return true;
        break;
    }
  }
  return false;
}

}  // namespace confluent::attrdb
