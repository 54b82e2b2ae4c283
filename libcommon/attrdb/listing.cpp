#include "attrdb/listing.h"

#include <algorithm>
#include <set>

#include "attrdb/schema.h"
#include "base/strings.h"

namespace confluent::attrdb {

namespace {

enum class Show { Current, All, Selected };

struct Item {
  std::string text;     // as typed
  std::string pattern;  // lowercased, alias and hm prefix resolved
  bool glob = false;
  bool seen = false;
};

std::vector<Item> make_items(const std::vector<std::string>& requested) {
  std::vector<Item> items;
  for (const auto& r : requested) {
    Item item{r, to_lower(schema::resolve_alias(to_lower(r)))};
    if (item.pattern.rfind("hm", 0) == 0 &&
        schema::find(item.pattern) == nullptr) {
      item.pattern = "hardwaremanagement" + item.pattern.substr(2);
    }
    item.glob = has_glob(item.pattern);
    items.push_back(std::move(item));
  }
  return items;
}

bool item_matches(const Item& item, const std::string& name) {
  if (item.glob) return glob_match(item.pattern, name, true);
  const std::string& p = item.pattern;
  if (name.size() < p.size() || (name.size() > p.size() && name[p.size()] != '.')) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != p[i]) return false;
  }
  return true;
}

Show show_mode(const std::vector<std::string>& requested) {
  if (requested.empty() || requested[0] == "current") return Show::Current;
  if (requested.size() == 1 && requested[0] == "all") return Show::All;
  return Show::Selected;
}

const std::vector<std::string>& schema_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& a : schema::attributes()) out.emplace_back(a.name);
    return out;
  }();
  return names;
}

}  // namespace

std::vector<std::string> list_node_attributes(Database& db, const noderange::NodeList& nodes,
                                              const std::vector<std::string>& requested, const RowSink& sink) {
  Show show = show_mode(requested);
  std::vector<Item> items = make_items(requested);
  // Schema names that a selection picks are the same for every node: match them once.
  std::vector<std::string> fixed;
  if (show == Show::All) fixed = schema_names();
  for (auto& item : items) {
    if (show != Show::Selected) break;
    for (const auto& name : schema_names()) {
      if (item_matches(item, name)) {
        fixed.push_back(name);
        item.seen = true;
      }
    }
  }
  std::sort(fixed.begin(), fixed.end());
  fixed.erase(std::unique(fixed.begin(), fixed.end()), fixed.end());
  std::vector<std::string> names;
  for (const auto& node : nodes) {
    const std::vector<std::string>* list = &fixed;
    if (show == Show::Current) {
      names = db.current_names(node);
      list = &names;
    } else if (auto extra = db.node_extra_names(node); !extra.empty()) {
      names = fixed;
      for (auto& name : extra) {
        bool wanted = show == Show::All;
        for (auto& item : items) {
          if (item_matches(item, name)) wanted = item.seen = true;
        }
        if (wanted) names.push_back(std::move(name));
      }
      std::sort(names.begin(), names.end());
      list = &names;
    }
    for (const auto& name : *list) sink(node, name, db.resolve(node, name));
  }
  std::vector<std::string> errors;
  for (const auto& item : items) {
    if (show == Show::Selected && !item.seen) errors.push_back("'" + item.text + "' is not a valid attribute");
  }
  return errors;
}

std::string display_text(const ResolvedValue& v, bool blame) {
  std::string suffix;
  if (blame || !v.error.empty()) {
    std::vector<std::string> why;
    if (!v.inherited_from.empty()) why.push_back("inherited from group " + v.inherited_from);
    if (!v.expression.empty()) why.push_back("derived from expression \"" + v.expression + "\"");
    if (!why.empty()) suffix = " (" + join(why, ", ") + ")";
  }
  if (!v.error.empty()) return "*ERROR* BROKEN EXPRESSION: " + v.error + suffix;
  return v.value + suffix;
}

std::vector<GroupRow> list_group_attributes(Database& db, const std::string& group,
                                            const std::vector<std::string>& requested,
                                            std::vector<std::string>& errors) {
  const GroupData& g = db.group_data(group);
  Show show = show_mode(requested);
  std::set<std::string> names;
  for (const auto& [name, _] : g.attrs) names.insert(name);
  if (show != Show::Current) names.insert(schema_names().begin(), schema_names().end());
  names.erase("groups");
  names.insert(g.noderange.empty() ? "nodes" : "noderange");
  if (show == Show::All) names.insert({"nodes", "noderange"});
  std::vector<Item> items = make_items(requested);
  std::vector<GroupRow> rows;
  for (const auto& name : names) {
    bool wanted = show != Show::Selected;
    for (auto& item : items) {
      if (show == Show::Selected && item_matches(item, name)) wanted = item.seen = true;
    }
    if (!wanted) continue;
    std::string text;
    if (name == "nodes") {
      text = join(db.group_members(group), ",");
    } else if (name == "noderange") {
      text = g.noderange;
    } else if (auto it = g.attrs.find(name); it != g.attrs.end()) {
      const Record& r = it->second;
      if (r.is_protected()) text = "********";
      else if (r.is_expression()) text = " (will derive from expression " + r.expression + ")";
      else text = r.value;
    }
    rows.push_back(GroupRow{name, text});
  }
  for (const auto& item : items) {
    if (show == Show::Selected && !item.seen) errors.push_back("'" + item.text + "' is not a valid attribute");
  }
  return rows;
}

}  // namespace confluent::attrdb
