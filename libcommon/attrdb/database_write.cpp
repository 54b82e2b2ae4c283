// Changing the store: nodes, groups, memberships and attribute values.
#include <algorithm>

#include "attrdb/database.h"
#include "attrdb/expression.h"
#include "attrdb/schema.h"
#include "attrdb/secrets.h"
#include "base/error.h"
#include "base/strings.h"

namespace confluent::attrdb {

namespace {

constexpr std::string_view kEverything = "everything";
constexpr long long kRecycleAfter = 128;  // freed indexes are reused once more than this pile up

Error invalid(const std::string& message) { return Error(ErrorKind::Invalid, message); }
std::string q(std::string_view s) { return "'" + std::string(s) + "'"; }

// A name must read back as itself through the noderange language: one plain word.
void check_object_name(std::string_view name, std::string_view what) {
  bool ok = !name.empty() && name.size() <= 253 && name.front() != '-' && name.front() != '.';
  for (char c : name) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '_' || c == '.';
    ok = ok && word;
  }
  if (!ok) throw invalid(q(name) + " is not a valid " + std::string(what) + " name");
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Assignment parse_assignment(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw invalid("attributes must be given as attribute=value, got " + q(text));
  }
  Assignment a;
  a.value = std::string(text.substr(eq + 1));
  std::string_view name = text.substr(0, eq);
  char last = name.back();
  if (name.size() > 1 && last == ',') {
    a.op = Assignment::Op::Prepend;
    name.remove_suffix(1);
  } else if (name.size() > 1 && (last == '-' || last == '^')) {
    a.op = Assignment::Op::Remove;
    name.remove_suffix(1);
  }
  a.name = std::string(name);
  return a;
}

bool Database::create_node(std::string_view name) {
  require_write();
  if (is_node(name)) return false;
  check_object_name(name, "node");
  if (has_group(name)) throw invalid(q(name) + " is already the name of a group");
  data_.nodes.try_emplace(std::string(name));
  backend_->put_node(name, {});
  Record index;
  index.value = std::to_string(allocate_index());
  put_node_attr(name, "id.index", index);
  changed();
  return true;
}

long long Database::allocate_index() {
  if (backend_->free_index_count() > kRecycleAfter) return backend_->take_lowest_free_index();
  long long next = std::stoll(backend_->meta("next_index").value_or("1"));
  backend_->put_meta("next_index", std::to_string(next + 1));
  return next;
}

void Database::remove_node(std::string_view name) {
  require_write();
  NodeData& n = node_data(name);
  if (auto it = n.attrs.find("id.index"); it != n.attrs.end() && !it->second.value.empty()) {
    backend_->add_free_index(std::stoll(it->second.value));
  }
  backend_->delete_node(name);
  data_.nodes.erase(data_.nodes.find(name));
  changed();
}

bool Database::create_group(std::string_view name) {
  require_write();
  if (has_group(name)) return false;
  check_object_name(name, "group");
  if (is_node(name)) throw invalid(q(name) + " is already the name of a node");
  data_.groups.try_emplace(std::string(name));
  backend_->put_group(name, "");
  changed();
  return true;
}

void Database::remove_group(std::string_view name) {
  require_write();
  group_data(name);
  if (name == kEverything) throw invalid("group 'everything' cannot be removed");
  for (const auto& node : group_members(name)) {
    std::vector<std::string> groups = data_.nodes.find(node)->second.groups;
    groups.erase(std::remove(groups.begin(), groups.end(), name), groups.end());
    write_node_groups(node, groups);
  }
  backend_->delete_group(name);
  data_.groups.erase(data_.groups.find(name));
  changed();
}

void Database::write_node_groups(std::string_view node, std::vector<std::string> groups) {
  groups.erase(std::remove(groups.begin(), groups.end(), kEverything), groups.end());
  node_data(node).groups = groups;
  backend_->put_node(node, groups);
  changed();
}

Record Database::make_record(std::string_view canonical, std::string_view value) {
  Record r;
  if (schema::is_secret(canonical)) {
    if (!value.empty()) r.sealed = secrets(true).seal(value, canonical);
  } else if (schema::is_crypted(canonical)) {
    if (!value.empty()) {
      r.hash = sha512_crypt(value);
      r.grubhash = grub_pbkdf2(value);
    }
  } else {
    TypedValue typed = classify_value(value);
    if (typed.is_expression) {
      r.expression = typed.text;
    } else {
      r.value = typed.text.empty() ? std::string() : schema::normalize_value(canonical, typed.text);
    }
  }
  return r;
}

void Database::put_node_attr(std::string_view node, const std::string& name, Record record) {
  backend_->put_attr(OwnerKind::Node, node, name, record);
  node_data(node).attrs[name] = std::move(record);
}

std::vector<std::string> Database::set_node_attribute(std::string_view node, const Assignment& a) {
  require_write();
  node_data(node);
  if (has_glob(a.name)) {  // a wildcard updates only what the node has already
    std::vector<std::string> written;
    for (const auto& name : current_names(node)) {
      if (name == "groups" || !glob_match(a.name, name)) continue;
      put_node_attr(node, name, make_record(name, a.value));
      written.push_back(name);
    }
    return written;
  }
  std::string canonical = schema::check_name_for_set(a.name);
  if (canonical == "groups") {
    set_node_groups(node, a);
  } else if (a.op != Assignment::Op::Set) {
    throw invalid("attribute " + q(canonical) + " is not a list; ',=' and '-=' apply to groups");
  } else {
    put_node_attr(node, canonical, make_record(canonical, a.value));
  }
  return {canonical};
}

void Database::set_node_hash(std::string_view node, std::string_view canonical, std::string_view crypt_hash) {
  require_write();
  node_data(node);
  std::string name = schema::check_name_for_set(canonical);
  if (!schema::is_crypted(name)) throw invalid("attribute " + q(name) + " does not hold a hash");
  // "$id$[params$]salt$hash": printable, no separators a store or a display would mangle.
  bool printable = std::all_of(crypt_hash.begin(), crypt_hash.end(),
                               [](char c) { return c > ' ' && c < 127 && c != ':'; });
  if (crypt_hash.size() < 4 || crypt_hash.size() > 512 || crypt_hash[0] != '$' || !printable ||
      std::count(crypt_hash.begin(), crypt_hash.end(), '$') < 3) {
    throw invalid("value for " + q(name) + " is not a crypt(3) hash");
  }
  Record r;
  r.hash = std::string(crypt_hash);
  put_node_attr(node, name, std::move(r));
}

void Database::set_node_groups(std::string_view node, const Assignment& a) {
  std::vector<std::string> wanted;
  for (const auto& g : split(a.value, ',')) {
    std::string name(trim(g));
    if (name.empty() || name == kEverything) continue;
    if (!has_group(name)) throw invalid("group " + q(name) + " does not exist");
    if (contains(wanted, name)) throw invalid("group " + q(name) + " has been specified multiple times");
    wanted.push_back(name);
  }
  std::vector<std::string> groups = node_data(node).groups;
  if (a.op == Assignment::Op::Set) {
    groups = wanted;
  } else if (a.op == Assignment::Op::Prepend) {
    for (const auto& g : wanted) {
      if (contains(groups, g)) throw invalid("node " + q(node) + " is already in group " + q(g));
    }
    groups.insert(groups.begin(), wanted.begin(), wanted.end());
  } else {
    for (const auto& g : wanted) {
      if (!contains(groups, g)) throw invalid("node " + q(node) + " is not a member of group " + q(g));
      groups.erase(std::find(groups.begin(), groups.end(), g));
    }
  }
  write_node_groups(node, groups);
}

std::vector<std::string> Database::clear_node_attribute(std::string_view node, std::string_view name) {
  require_write();
  NodeData& n = node_data(node);
  std::vector<std::string> warnings;
  if (has_glob(name)) {
    std::vector<std::string> names;
    for (const auto& [attr, _] : n.attrs) {
      if (glob_match(name, attr)) names.push_back(attr);
    }
    for (const auto& attr : names) {
      backend_->delete_attr(OwnerKind::Node, node, attr);
      n.attrs.erase(n.attrs.find(attr));
    }
    return warnings;
  }
  std::string canonical = schema::resolve_alias(name);
  if (canonical == "groups") {
    write_node_groups(node, {});
    return warnings;
  }
  std::string from;
  const Record* r = find_record(n, canonical, &from);
  if (r == nullptr) {
    if (!schema::is_known_name_or_pattern(canonical)) throw invalid("no attribute matches " + q(name));
    warnings.push_back("attribute " + q(canonical) + " is either already cleared, or does not match a defined attribute (if referencing an attribute group, try a wildcard)");
  } else if (!from.empty()) {
    warnings.push_back("attribute " + q(canonical) + " is inherited from group " + q(from) + ", leaving the inherited value alone (use '" + canonical + "=' with no value to explicitly blank the value if desired)");
  } else {
    backend_->delete_attr(OwnerKind::Node, node, canonical);
    n.attrs.erase(n.attrs.find(canonical));
    from.clear();
    if (find_record(n, canonical, &from) != nullptr) {
      warnings.push_back("attribute " + q(canonical) + " was defined specifically for the node and clearing now has a value inherited from the group " + q(from));
    }
  }
  return warnings;
}

}  // namespace confluent::attrdb
