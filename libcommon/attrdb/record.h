#pragma once
// What the store keeps per attribute, and the in-memory model of nodes and groups.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace confluent::attrdb {

struct Record {
  std::string value;       // literal value (display form)
  std::string expression;  // template, evaluated in the node's context when read
  std::string sealed;      // AES-256-GCM sealed secret (secret.*, custom.nodesecret.*)
  std::string hash;        // crypted.*: SHA-512 crypt
  std::string grubhash;    // crypted.*: grub.pbkdf2.sha512 form

  bool is_expression() const { return !expression.empty(); }
  bool is_protected() const { return !sealed.empty() || !hash.empty(); }
};

// Byte-wise name order, which is also the display order within a node.
using AttrMap = std::map<std::string, Record, std::less<>>;

struct NodeData {
  std::vector<std::string> groups;  // ordered, first wins; `everything` is implicit and last
  AttrMap attrs;
};

struct GroupData {
  std::string noderange;  // dynamic membership, "" for a static group
  AttrMap attrs;
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class T>
using StringMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

enum class OwnerKind { Node = 0, Group = 1 };

}  // namespace confluent::attrdb
