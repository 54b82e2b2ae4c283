// Nodes with identical output become one group; groups are put in print order.
#include <algorithm>
#include <filesystem>

#include "attrdb/database.h"
#include "base/error.h"
#include "base/natural_sort.h"
#include "collate.h"

namespace confluent::collate {

namespace {

using Lines = std::vector<std::string>;

struct LinesHash {
  std::size_t operator()(const Lines* lines) const {
    std::size_t h = lines->size();
    for (const auto& l : *lines) h = (h * 1099511628211ULL) ^ std::hash<std::string>{}(l);
    return h;
  }
};
struct LinesEqual {
  bool operator()(const Lines* a, const Lines* b) const { return *a == *b; }
};

// Node indices in natural order of their names, so that each group's members are sorted.
std::vector<std::size_t> nodes_in_natural_order(const Collector& collector) {
  const auto& nodes = collector.nodes();
  std::vector<std::size_t> order(nodes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return natural_less(nodes[a].name, nodes[b].name); });
  return order;
}

// Lines joined by newlines are equal exactly when the line lists are: no line holds one.
std::vector<Group> group_by_output(const Collector& collector) {
  const auto& nodes = collector.nodes();
  std::unordered_map<const Lines*, std::size_t, LinesHash, LinesEqual> by_output;
  std::vector<Group> groups;
  for (std::size_t node : nodes_in_natural_order(collector)) {
    auto [it, fresh] = by_output.try_emplace(&nodes[node].lines, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].members.push_back(node);
  }
  return groups;
}

void fold_headers(std::vector<Group>& groups, const Collector& collector,
                  const std::vector<noderange::FoldGroup>& fold_groups) {
  noderange::NodeList names;
  for (Group& g : groups) {
    names.clear();
    for (std::size_t node : g.members) names.push_back(collector.nodes()[node].name);
    g.header = noderange::fold(names, fold_groups);
  }
}

// Biggest first, then by header. The reference group (-b) goes first; -r reverses it all.
void put_in_order(Layout& layout, std::size_t base_group, bool reverse) {
  auto& groups = layout.groups;
  std::vector<std::size_t> order(groups.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if ((a == base_group) != (b == base_group)) return a == base_group;
    if (groups[a].members.size() != groups[b].members.size()) {
      return groups[a].members.size() > groups[b].members.size();
    }
    return natural_compare(groups[a].header, groups[b].header) < 0;
  });
  std::vector<Group> sorted;
  sorted.reserve(groups.size());
  for (std::size_t i : order) sorted.push_back(std::move(groups[i]));
  groups = std::move(sorted);
  layout.reference = 0;
  if (reverse) {
    std::reverse(groups.begin(), groups.end());
    layout.reference = groups.empty() ? 0 : groups.size() - 1;
  }
}

std::size_t group_of(const std::vector<Group>& groups, std::size_t node) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (std::find(groups[i].members.begin(), groups[i].members.end(), node) != groups[i].members.end()) return i;
  }
  return kNoNode;
}

}  // namespace

std::vector<noderange::FoldGroup> store_fold_groups() {
  std::vector<noderange::FoldGroup> groups;
  if (!std::filesystem::exists(attrdb::Database::store_file())) return groups;
  auto db = attrdb::Database::open(attrdb::Access::Read);
  for (const auto& name : db->group_names()) {
    if (name != "everything") groups.push_back({name, db->group_members(name)});
  }
  return groups;
}

Layout arrange(const Collector& collector, const Options& opt, const std::vector<noderange::FoldGroup>& fold_groups,
               bool final) {
  Layout layout;
  layout.groups = group_by_output(collector);
  fold_headers(layout.groups, collector, fold_groups);
  std::size_t base_group = kNoNode;
  if (!opt.base.empty()) {
    std::size_t node = collector.find(opt.base);
    if (node == kNoNode && final) {
      throw Error(ErrorKind::NotFound, "node '" + opt.base + "' is not in the input");
    }
    if (node != kNoNode) base_group = group_of(layout.groups, node);
  }
  put_in_order(layout, base_group, opt.reverse);
  return layout;
}

}  // namespace confluent::collate
