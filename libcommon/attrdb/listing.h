#pragma once
// Which attributes a read shows (current, all, or a selection by name, prefix or wildcard)
// and how each value is displayed.
#include <string>
#include <vector>

#include "attrdb/database.h"

namespace confluent::attrdb {

struct ListRow {
  const std::string* node;  // points into the node list given to list_node_attributes
  std::string name;
  ResolvedValue value;
};

struct Listing {
  std::vector<ListRow> rows;         // nodes in the given order, names byte-wise sorted
  std::vector<std::string> errors;   // one line each, for stderr
};

// `requested` empty or starting with "current": the values each node has; "all": every
// schema attribute plus the node's own; otherwise names, dotted prefixes (`net`), aliases,
// `hm` for hardwaremanagement, and case-insensitive wildcards.
Listing list_node_attributes(Database& db, const noderange::NodeList& nodes,
                             const std::vector<std::string>& requested);

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
