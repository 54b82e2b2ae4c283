#pragma once
// The node attribute schema (confluent's attributes.py) and the naming and value rules.
#include <string>
#include <string_view>
#include <vector>

namespace confluent::attrdb::schema {

enum class Type { String, Bool, List, Int };
enum class Check { None, Values, List, ListKeys };

struct AttributeInfo {
  std::string_view name;
  std::string_view description;
  Type type = Type::String;
  Check check = Check::None;
  std::vector<std::string_view> valid;  // values, list members or keys, per `check`
};

// All schema attributes, sorted by name (groups included).
const std::vector<AttributeInfo>& attributes();
// The schema entry for an exact name (net.x.y.leaf is looked up as net.leaf); nullptr if none.
const AttributeInfo* find(std::string_view name);

// The short names accepted on set, clear and in expressions, each with its schema name.
struct Alias {
  std::string_view name;
  std::string_view canonical;
};
const std::vector<Alias>& aliases();

// bmc -> hardwaremanagement.manager, bmcuser/switchuser -> secret.hardwaremanagementuser,
// bmcpass/switchpass -> secret.hardwaremanagementpassword; other names unchanged.
std::string resolve_alias(std::string_view name);
// net.<any.chain>.leaf -> net.leaf, power.<any.chain>.leaf -> power.leaf; others unchanged.
std::string reduce(std::string_view name);

bool is_secret(std::string_view name);   // secret.* and custom.nodesecret.*
bool is_crypted(std::string_view name);  // crypted.*
bool is_custom(std::string_view name);   // custom.*

// The canonical name to store for a set (alias resolved). Throws confluent::Error(Invalid):
//   "syntax error in attribute name 'net.0.switch'" or
//   "unknown attribute 'location.rak', did you mean 'location.rack'".
std::string check_name_for_set(std::string_view name);
// Names accepted in noderange filters and on clear: schema names, aliases, any custom.*,
// net.* and power.*, and wildcard patterns that match at least one schema name.
bool is_known_name_or_pattern(std::string_view name);

// The value to store for `canonical`: bools become True/False, lists are checked member by
// member, valid values are enforced (shell-glob entries such as tpm2:* allowed; empty is
// always allowed). Throws confluent::Error(Invalid):
//   "attribute 'console.method' does not accept value 'foo' (valid values would be ...)".
std::string normalize_value(std::string_view canonical, std::string_view value);

}  // namespace confluent::attrdb::schema
