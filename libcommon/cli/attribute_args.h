#pragma once
// Attribute arguments shared by nodeattrib, nodegroupattrib, nodedefine and nodelist:
// where assignments come from (argv, -e, -p, -s) and how reads and writes are printed.
#include <string>
#include <vector>

#include "attrdb/database.h"
#include "attrdb/listing.h"

namespace confluent::cli {

// -e: "name=value" from $name_with_underscores or $NAME_UPPERCASE. Every name is checked
// before anything is used; a missing variable throws.
std::vector<std::string> assignments_from_environment(const std::vector<std::string>& names);
// -p: asks for each name twice without echo.
std::vector<std::string> assignments_from_prompt(const std::vector<std::string>& names);
// -s: text after '#' dropped, each line shell-split, every word an assignment.
std::vector<std::string> assignments_from_file(const std::string& path);
// Throws a usage error naming the first argument that is not attr=value.
void require_assignments(const std::vector<std::string>& args);

// What an attribute command's arguments and -c/-e/-p flags ask for; throws a usage error
// for combinations that make no sense (clear and set, names missing, set and read mixed).
enum class AttributeAction { Read, Set, Clear, Environment, Prompt };
AttributeAction attribute_action(const std::vector<std::string>& args, bool clear, bool environment, bool prompt);

struct Written {
  std::string owner;  // node or group
  std::string name;   // canonical attribute name
};
// Applies every assignment to every node, in order; returns what was written.
std::vector<Written> apply_to_nodes(attrdb::Database& db, const noderange::NodeList& nodes,
                                    const std::vector<std::string>& assignments);
// "node: attr: value" for each write, in the order given, read back after the change.
void print_node_writes(attrdb::Database& db, const std::vector<Written>& written);

// Prints a read as "node: attr: value" lines; errors go to stderr. Returns the exit
// status (1 if a requested attribute matched nothing).
int print_node_attributes(attrdb::Database& db, const noderange::NodeList& nodes,
                          const std::vector<std::string>& requested, bool blame);

}  // namespace confluent::cli
