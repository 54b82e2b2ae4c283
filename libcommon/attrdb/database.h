#pragma once
// The attribute database: nodes, groups, inheritance, expressions and secrets over a
// storage backend. One Database per command; a write command's changes land in one
// transaction at commit(), or not at all.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attrdb/backend.h"
#include "attrdb/record.h"
#include "noderange/noderange.h"

namespace confluent::attrdb {

class Expression;
class SecretBox;

enum class Access { Read, Write };

// One attribute of one node, as shown to users.
struct ResolvedValue {
  bool set = false;            // a record exists (node level or inherited)
  bool is_protected = false;   // secret or crypted: value is "********"
  std::string value;           // display value ("" when unset or broken)
  std::string inherited_from;  // group the value comes from, "" for node level
  std::string expression;      // template the value derives from, "" for literals
  std::string error;           // broken expression error, "" when fine
};

// `attr=value`, `attr,=value` (prepend), `attr-=value` / `attr^=value` (remove).
struct Assignment {
  enum class Op { Set, Prepend, Remove };
  std::string name;
  Op op = Op::Set;
  std::string value;
};
// Throws confluent::Error(Invalid) when `text` has no '='.
Assignment parse_assignment(std::string_view text);

class Database final : public noderange::Resolver {
 public:
  // <root>/etc/confluent/cfg/attributes.sqlite and its master key beside it.
  static std::filesystem::path store_file();
  static std::filesystem::path key_file();
  // A read of a missing store sees an empty cluster; a write creates the store.
  static std::unique_ptr<Database> open(Access access);

  Database(std::unique_ptr<Backend> backend, Access access);
  ~Database() override;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Makes every change of this command durable at once. Without it, nothing is written.
  void commit();
  // Differs from an earlier call once another process or connection committed a change:
  // a long-lived reader reopens the store then. 0 when there is no store.
  long long data_version();

  // noderange::Resolver
  bool is_node(std::string_view name) override;
  std::optional<noderange::GroupInfo> group(std::string_view name) override;
  const noderange::NodeList& all_nodes() override;
  noderange::NodeList filter(const noderange::Filter& filter, const noderange::NodeList& candidates) override;

  noderange::NodeList expand(std::string_view noderange,
                             noderange::Mode mode = noderange::Mode::Strict);
  bool has_group(std::string_view name) const;
  std::vector<std::string> group_names() const;                 // natural order
  noderange::NodeList group_members(std::string_view group);    // static members
  std::vector<std::string> node_groups(std::string_view node) const;  // ordered, ends with everything
  const GroupData& group_data(std::string_view group) const;          // throws NotFound

  // Reads
  ResolvedValue resolve(std::string_view node, std::string_view canonical);
  // Names with a value or expression on the node, inherited ones included, plus groups;
  // byte-wise sorted.
  std::vector<std::string> current_names(std::string_view node) const;
  // Names on the node or its groups that the schema does not list exactly (net.mgt.x, custom.y).
  std::vector<std::string> node_extra_names(std::string_view node) const;
  // Names used anywhere in the store that the schema does not list (custom.*, net.x.y...).
  std::vector<std::string> extra_names() const;
  // A command or name template for `node`: {fields} evaluated as attribute expressions
  // (secrets give ""), {{ and }} unescaped. Throws ExpressionError when a field fails on
  // this node; check the template once with classify_value() before.
  std::string expand_template(std::string_view node, std::string_view text);
  // The plaintext of a secret (for programs that must use it, never for display).
  std::string reveal(std::string_view node, std::string_view canonical);
  // The stored hashes of a crypted.* attribute, inherited ones included; empty when unset.
  struct Hashes {
    std::string crypt;  // SHA-512 crypt
    std::string grub;   // grub.pbkdf2.sha512 form, when the plaintext was given here
  };
  Hashes hashes(std::string_view node, std::string_view canonical);

  // Writes (Access::Write). Names are validated; errors throw confluent::Error.
  bool create_node(std::string_view name);  // false when it existed already
  void remove_node(std::string_view name);
  bool create_group(std::string_view name);
  void remove_group(std::string_view name);
  // Returns the canonical names written (several for a wildcard, none if nothing matched).
  std::vector<std::string> set_node_attribute(std::string_view node, const Assignment& a);
  std::vector<std::string> set_group_attribute(std::string_view group, const Assignment& a);
  // Stores a crypt(3) hash made elsewhere (a node registering its API key) as the node's
  // value of a crypted.* attribute. Throws Invalid for other attributes or non-hashes.
  void set_node_hash(std::string_view node, std::string_view canonical, std::string_view crypt_hash);
  // Returns warnings, one line each.
  std::vector<std::string> clear_node_attribute(std::string_view node, std::string_view name);
  std::vector<std::string> clear_group_attribute(std::string_view group, std::string_view name);

 private:
  NodeData& node_data(std::string_view name);
  const NodeData& node_data(std::string_view name) const;
  GroupData& mutable_group(std::string_view name);
  void require_write() const;
  void changed();
  Record make_record(std::string_view canonical, std::string_view value);
  void put_node_attr(std::string_view node, const std::string& name, Record record);
  void set_node_groups(std::string_view node, const Assignment& a);
  void set_group_members(std::string_view group, const Assignment& a);
  void write_node_groups(std::string_view node, std::vector<std::string> groups);
  std::vector<std::string> set_group_noderange(std::string_view group, const std::string& value);
  long long allocate_index();
  const Record* find_record(const NodeData& node, std::string_view name, std::string* from) const;
  std::string evaluate(std::string_view node, const std::string& expression);
  SecretBox& secrets(bool create);
  bool matches_filter(std::string_view node, const noderange::Filter& f, const void* regex);

  std::unique_ptr<Backend> backend_;
  Access access_;
  bool committed_ = false;
  Snapshot data_;
  noderange::NodeList sorted_nodes_;
  bool sorted_valid_ = false;
  StringMap<noderange::NodeList> members_;
  bool members_valid_ = false;
  StringMap<std::unique_ptr<Expression>> expressions_;
  std::vector<std::string> evaluating_;  // attribute names being evaluated, to catch cycles
  std::unique_ptr<SecretBox> secrets_;
};

}  // namespace confluent::attrdb
