// Changing groups: members (nodes=), dynamic membership (noderange=) and group attributes.
#include <algorithm>

#include "attrdb/database.h"
#include "attrdb/schema.h"
#include "base/error.h"
#include "base/strings.h"

namespace confluent::attrdb {

namespace {

constexpr std::string_view kEverything = "everything";

Error invalid(const std::string& message) { return Error(ErrorKind::Invalid, message); }
std::string q(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

std::vector<std::string> Database::set_group_attribute(std::string_view group, const Assignment& a) {
  require_write();
  GroupData& g = mutable_group(group);
  if (a.name == "nodes") {
    set_group_members(group, a);
    return {"nodes"};
  }
  if (a.name == "noderange") return set_group_noderange(group, a.value);
  if (!g.noderange.empty()) throw invalid("attributes cannot be set on group " + q(group) + ", which has a noderange");
  std::vector<std::string> names;
  if (has_glob(a.name)) {
    for (const auto& [name, _] : g.attrs) {
      if (glob_match(a.name, name)) names.push_back(name);
    }
  } else {
    names.push_back(schema::check_name_for_set(a.name));
    if (names[0] == "groups") throw invalid("'groups' is an attribute of nodes; set 'nodes' on a group");
    if (a.op != Assignment::Op::Set) {
      throw invalid("attribute " + q(names[0]) + " is not a list; ',=' and '-=' apply to nodes");
    }
  }
  for (const auto& name : names) {
    Record r = make_record(name, a.value);
    backend_->put_attr(OwnerKind::Group, group, name, r);
    g.attrs[name] = std::move(r);
  }
  return names;
}

std::vector<std::string> Database::set_group_noderange(std::string_view group, const std::string& value) {
  GroupData& g = mutable_group(group);
  if (group == kEverything) throw invalid("group 'everything' cannot have a noderange");
  if (!value.empty()) {
    if (!group_members(group).empty()) throw invalid("cannot set both nodes and noderange on group " + q(group));
    if (!g.attrs.empty()) throw invalid("cannot set noderange on group " + q(group) + ", which has attributes");
    g.noderange = value;
    try {
      expand(value);  // refuse a noderange that cannot be evaluated now
    } catch (const Error& e) {
      g.noderange.clear();
      throw invalid("noderange of group " + q(group) + ": " + e.what());
    }
  }
  g.noderange = value;
  backend_->put_group(group, value);
  changed();
  return {"noderange"};
}

// Nodes newly added by a group's side take that group first (highest priority).
void Database::set_group_members(std::string_view group, const Assignment& a) {
  if (group == kEverything) throw invalid("every node is a member of 'everything'");
  if (!group_data(group).noderange.empty()) {
    throw invalid("cannot set both nodes and noderange on group " + q(group));
  }
  noderange::NodeList current = group_members(group);
  noderange::NodeList named = a.value.empty() ? noderange::NodeList{} : expand(a.value);
  noderange::NodeList add, remove;
  if (a.op == Assignment::Op::Set) {
    add = noderange::set_difference(named, current);
    remove = noderange::set_difference(current, named);
  } else if (a.op == Assignment::Op::Prepend) {
    auto already = noderange::set_intersection(named, current);
    if (!already.empty()) throw invalid("node " + q(already[0]) + " is already in group " + q(group));
    add = named;
  } else {
    auto missing = noderange::set_difference(named, current);
    if (!missing.empty()) throw invalid("node " + q(missing[0]) + " is not a member of group " + q(group));
    remove = named;
  }
  for (const auto& node : add) {
    std::vector<std::string> groups = node_data(node).groups;
    groups.insert(groups.begin(), std::string(group));
    write_node_groups(node, groups);
  }
  for (const auto& node : remove) {
    std::vector<std::string> groups = node_data(node).groups;
    groups.erase(std::remove(groups.begin(), groups.end(), group), groups.end());
    write_node_groups(node, groups);
  }
}

std::vector<std::string> Database::clear_group_attribute(std::string_view group, std::string_view name) {
  require_write();
  GroupData& g = mutable_group(group);
  std::vector<std::string> warnings;
  if (name == "nodes") {
    if (group != kEverything) set_group_members(group, Assignment{"nodes", Assignment::Op::Set, ""});
    return warnings;
  }
  if (name == "noderange") {
    set_group_noderange(group, "");
    return warnings;
  }
  std::vector<std::string> names;
  if (has_glob(name)) {
    for (const auto& [attr, _] : g.attrs) {
      if (glob_match(name, attr)) names.push_back(attr);
    }
  } else {
    std::string canonical = schema::resolve_alias(name);
    if (g.attrs.count(canonical) != 0) {
      names.push_back(canonical);
    } else if (!schema::is_known_name_or_pattern(canonical)) {
      throw invalid("no attribute matches " + q(name));
    } else {
      warnings.push_back("attribute " + q(canonical) + " is already cleared on group " + q(group));
    }
  }
  for (const auto& attr : names) {
    backend_->delete_attr(OwnerKind::Group, group, attr);
    g.attrs.erase(g.attrs.find(attr));
  }
  return warnings;
}

}  // namespace confluent::attrdb
