#pragma once
// Which attributes a read shows (current, all, or a selection by name, prefix or wildcard)
// and how each value is displayed.
#include <functional>
#include <string>
#include <vector>

#include "attrdb/database.h"

namespace confluent::attrdb {

using RowSink = std::function<void(const std::string& node, const std::string& name, const ResolvedValue& value)>;

// `requested` empty or starting with "current": the values each node has; "all": every
// schema attribute plus the node's own; otherwise names, dotted prefixes (`net`), aliases,
// `hm` for hardwaremanagement, and case-insensitive wildcards. Rows stream to `sink`, nodes
// in the given order and names byte-wise sorted within a node. Returns one error line per
// requested item that matched nothing.
std::vector<std::string> list_node_attributes(Database& db, const noderange::NodeList& nodes,
                                              const std::vector<std::string>& requested, const RowSink& sink);

struct GroupRow {
  std::string name;
  std::string text;  // display text after "group: name: "
};
std::vector<GroupRow> list_group_attributes(Database& db, const std::string& group,
                                            const std::vector<std::string>& requested,
                                            std::vector<std::string>& errors);

// The text after "node: attr: ": the value, or the broken-expression text; with `blame`,
// where an inherited or computed value came from.
std::string display_text(const ResolvedValue& v, bool blame);

}  // namespace confluent::attrdb
