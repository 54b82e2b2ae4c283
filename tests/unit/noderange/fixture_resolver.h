#pragma once
// The worked-example fixture of the spec (§1.14) as an in-memory Resolver, with upstream's
// attribute filter semantics (§1.6), plus helpers to write expected node lists briefly.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "noderange/noderange.h"

namespace confluent::noderange::testing {

using Attributes = std::map<std::string, std::string>;

class FixtureResolver : public Resolver {
 public:
  // Loaded with the §1.14 fixture; `empty` gives a resolver with only `everything`.
  explicit FixtureResolver(bool empty = false);

  bool is_node(std::string_view name) override;
  std::optional<GroupInfo> group(std::string_view name) override;
  const NodeList& all_nodes() override;
  NodeList filter(const Filter& filter, const NodeList& candidates) override;

  void add_node(const std::string& name, Attributes attributes = {});
  void add_group(const std::string& name, NodeList members, std::string noderange = "");

  size_t node_lookups = 0;
  size_t group_lookups = 0;

 private:
  std::map<std::string, Attributes, std::less<>> nodes_;
  std::map<std::string, GroupInfo, std::less<>> groups_;
  NodeList all_;
};

// prefix + numbers first..last, zero-padded to `width`: seq("d", 1, 3, 2) is d01,d02,d03.
NodeList seq(const std::string& prefix, int first, int last, int width = 0, const std::string& suffix = "");
// Space-separated names: names("n1 n3").
NodeList names(std::string_view text);
// The naturally sorted union of lists.
NodeList all_of(std::initializer_list<NodeList> lists);

// Strict expansion over a fresh fixture.
NodeList ex(std::string_view text);
// The message of the NotFound error that strict expansion over the fixture throws, or
// "no error"; any other kind of error fails the current test.
std::string error_of(std::string_view text);
// The same for pure expansion.
std::string pure_error(std::string_view text, size_t max_names = kMaxNames);

}  // namespace confluent::noderange::testing
