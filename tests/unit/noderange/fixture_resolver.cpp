#include "fixture_resolver.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>

#include "base/error.h"
#include "base/natural_sort.h"
#include "base/strings.h"

namespace confluent::noderange::testing {

namespace {

const std::vector<std::string>& schema() {
  static const std::vector<std::string> names = {
      "location.rack", "location.room", "location.u", "console.method", "type", "id.index",
      "secret.hardwaremanagementpassword", "groups",
  };
  return names;
}

void check_attribute_name(const std::string& name) {
  if (name.rfind("secret.", 0) == 0 || name.rfind("custom.nodesecret.", 0) == 0) {
    throw Error(ErrorKind::NotFound, "filter by secret attributes is not supported");
  }
  for (const char* open : {"custom.", "net.", "power."}) {
    if (name.rfind(open, 0) == 0) return;
  }
  const auto& known = schema();
  auto matches = [&](const std::string& a) { return glob_match(name, a); };
  bool valid = has_glob(name) ? std::any_of(known.begin(), known.end(), matches)
                              : std::find(known.begin(), known.end(), name) != known.end();
  if (!valid) throw Error(ErrorKind::NotFound, "'" + name + "' is not a valid attribute name");
}

bool test_value(const Filter& f, const std::string& value, const std::regex* re) {
  switch (f.op) {
    case FilterOp::Equal:
    case FilterOp::ExactEqual: return value == f.value;
    case FilterOp::NotEqual: return value != f.value;
    case FilterOp::RegexMatch: return std::regex_search(value, *re);
    case FilterOp::RegexNotMatch: return !std::regex_search(value, *re);
  }
  return false;
}

}  // namespace

FixtureResolver::FixtureResolver(bool empty) {
  add_group("everything", {});
  if (empty) return;
  for (int i = 1; i <= 20; ++i) {
    add_node("n" + std::to_string(i),
             {{"location.rack", i <= 10 ? "1" : "2"}, {"console.method", i % 2 ? "ipmi" : "redfish"}});
  }
  for (const std::string& d : seq("d", 1, 10, 2)) {
    add_node(d, {{"location.rack", "3"}, {"net.mgt.switch", d <= "d05" ? "sw1" : "sw2"}});
  }
  for (int r = 1; r <= 2; ++r) {
    for (int u = 1; u <= 3; ++u) {
      add_node("r" + std::to_string(r) + "u" + std::to_string(u), {{"location.rack", std::to_string(r)}});
    }
  }
  add_node("node-a");
  add_node("sw1.example.com", {{"type", "switch"}});
  add_node("sw2.example.com");
  add_group("compute", seq("n", 1, 20));
  add_group("rack1", seq("n", 1, 10));
  add_group("rack2", seq("n", 11, 20));
  add_group("dense", seq("d", 1, 10, 2));
  add_group("odd", {}, "console.method=ipmi");
}

void FixtureResolver::add_node(const std::string& name, Attributes attributes) {
  nodes_[name] = std::move(attributes);
  all_.push_back(name);
  natural_sort_unique(all_);
}

void FixtureResolver::add_group(const std::string& name, NodeList members, std::string noderange) {
  groups_[name] = GroupInfo{std::move(members), std::move(noderange)};
}

bool FixtureResolver::is_node(std::string_view name) {
  ++node_lookups;
  return nodes_.find(name) != nodes_.end();
}

std::optional<GroupInfo> FixtureResolver::group(std::string_view name) {
  ++group_lookups;
  if (name == "everything") return GroupInfo{all_, ""};
  auto it = groups_.find(name);
  if (it == groups_.end()) return std::nullopt;
  return it->second;
}

const NodeList& FixtureResolver::all_nodes() { return all_; }

NodeList FixtureResolver::filter(const Filter& f, const NodeList& candidates) {
  check_attribute_name(f.attribute);
  std::regex re;
  bool regex_op = f.op == FilterOp::RegexMatch || f.op == FilterOp::RegexNotMatch;
  if (regex_op) re = std::regex(f.value);
  NodeList out;
  for (const std::string& node : candidates) {
    auto it = nodes_.find(node);
    if (it == nodes_.end()) continue;
    std::vector<std::string> values;
    auto exact = it->second.find(f.attribute);
    if (exact != it->second.end()) {
      values.push_back(exact->second);
    } else {
      // Unset or wildcard: every matching attribute counts, and so does ''.
      for (const auto& [name, value] : it->second) {
        if (glob_match(f.attribute, name)) values.push_back(value);
      }
      values.emplace_back();
    }
    auto passes = [&](const std::string& v) { return test_value(f, v, regex_op ? &re : nullptr); };
    if (std::any_of(values.begin(), values.end(), passes)) out.push_back(node);
  }
  return out;
}

NodeList seq(const std::string& prefix, int first, int last, int width, const std::string& suffix) {
  NodeList out;
  for (int i = first; i <= last; ++i) {
    std::string number = std::to_string(i);
    if (static_cast<int>(number.size()) < width) number.insert(0, static_cast<size_t>(width) - number.size(), '0');
    out.push_back(prefix + number + suffix);
  }
  return out;
}

NodeList names(std::string_view text) {
  NodeList out;
  for (std::string& word : split(text, ' ')) {
    if (!word.empty()) out.push_back(std::move(word));
  }
  return out;
}

NodeList all_of(std::initializer_list<NodeList> lists) {
  NodeList out;
  for (const NodeList& l : lists) out.insert(out.end(), l.begin(), l.end());
  natural_sort_unique(out);
  return out;
}

NodeList ex(std::string_view text) {
  FixtureResolver resolver;
  return expand(text, resolver);
}

std::string error_of(std::string_view text) {
  FixtureResolver resolver;
  try {
    expand(text, resolver);
  } catch (const confluent::Error& e) {
    CHECK(e.kind() == confluent::ErrorKind::NotFound);
    return e.what();
  }
  return "no error";
}

std::string pure_error(std::string_view text, size_t max_names) {
  try {
    expand_pure(text, max_names);
  } catch (const confluent::Error& e) {
    CHECK(e.kind() == confluent::ErrorKind::NotFound);
    return e.what();
  }
  return "no error";
}

}  // namespace confluent::noderange::testing
