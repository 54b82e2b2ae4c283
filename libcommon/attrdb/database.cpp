#include "attrdb/database.h"

#include <algorithm>

#include "attrdb/expression.h"
#include "attrdb/schema.h"
#include "attrdb/secrets.h"
#include "base/error.h"
#include "base/natural_sort.h"
#include "base/paths.h"

namespace confluent::attrdb {

namespace {
constexpr std::string_view kEverything = "everything";
}

std::filesystem::path Database::store_file() { return state_path("etc/confluent/cfg/attributes.sqlite"); }
std::filesystem::path Database::key_file() { return state_path("etc/confluent/cfg/master.key"); }

std::unique_ptr<Database> Database::open(Access access) {
  auto backend = open_sqlite_backend(store_file(), access == Access::Write);
  return std::make_unique<Database>(std::move(backend), access);
}

Database::Database(std::unique_ptr<Backend> backend, Access access)
    : backend_(std::move(backend)), access_(access) {
  if (backend_) {
    // A writer takes the write lock before reading, so no other writer's change is lost.
    if (access_ == Access::Write) backend_->begin_write(); else backend_->begin_read();
    backend_->load(data_);
    if (access_ == Access::Read) backend_->commit();
  }
  data_.groups.try_emplace(std::string(kEverything));
}

Database::~Database() {
  if (backend_ && access_ == Access::Write && !committed_) backend_->rollback();
}

void Database::commit() {
  require_write();
  backend_->commit();
  committed_ = true;
}

long long Database::data_version() { return backend_ ? backend_->data_version() : 0; }

void Database::require_write() const {
  if (access_ != Access::Write || committed_) {
    throw Error(ErrorKind::Runtime, "internal error: attribute store opened read-only");
  }
}

void Database::changed() {
  sorted_valid_ = false;
  members_valid_ = false;
}

bool Database::is_node(std::string_view name) { return data_.nodes.find(name) != data_.nodes.end(); }

bool Database::has_group(std::string_view name) const { return data_.groups.find(name) != data_.groups.end(); }

const noderange::NodeList& Database::all_nodes() {
  if (!sorted_valid_) {
    sorted_nodes_.clear();
    sorted_nodes_.reserve(data_.nodes.size());
    for (const auto& [name, _] : data_.nodes) sorted_nodes_.push_back(name);
    std::sort(sorted_nodes_.begin(), sorted_nodes_.end(), NaturalLess{});
    sorted_valid_ = true;
  }
  return sorted_nodes_;
}

noderange::NodeList Database::group_members(std::string_view group) {
  if (group == kEverything) return all_nodes();
  if (!members_valid_) {
    members_.clear();
    for (const auto& name : all_nodes()) {
      for (const auto& g : data_.nodes.find(name)->second.groups) members_[g].push_back(name);
    }
    members_valid_ = true;
  }
  auto it = members_.find(group);
  return it == members_.end() ? noderange::NodeList{} : it->second;
}

std::optional<noderange::GroupInfo> Database::group(std::string_view name) {
  auto it = data_.groups.find(name);
  if (it == data_.groups.end()) return std::nullopt;
  return noderange::GroupInfo{group_members(name), it->second.noderange};
}

noderange::NodeList Database::expand(std::string_view text, noderange::Mode mode) {
  return noderange::expand(text, *this, mode);
}

std::vector<std::string> Database::group_names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : data_.groups) out.push_back(name);
  std::sort(out.begin(), out.end(), NaturalLess{});
  return out;
}

const NodeData& Database::node_data(std::string_view name) const {
  auto it = data_.nodes.find(name);
  if (it == data_.nodes.end()) throw Error(ErrorKind::NotFound, "unknown node '" + std::string(name) + "'");
  return it->second;
}

NodeData& Database::node_data(std::string_view name) {
  return const_cast<NodeData&>(static_cast<const Database*>(this)->node_data(name));
}

const GroupData& Database::group_data(std::string_view name) const {
  auto it = data_.groups.find(name);
  if (it == data_.groups.end()) {
    throw Error(ErrorKind::NotFound, "group '" + std::string(name) + "' does not exist");
  }
  return it->second;
}

GroupData& Database::mutable_group(std::string_view name) {
  return const_cast<GroupData&>(group_data(name));
}

std::vector<std::string> Database::node_groups(std::string_view node) const {
  std::vector<std::string> out = node_data(node).groups;
  out.emplace_back(kEverything);
  return out;
}

std::vector<std::string> Database::current_names(std::string_view node) const {
  const NodeData& n = node_data(node);
  std::vector<std::string> out;
  out.reserve(n.attrs.size() + 8);
  out.emplace_back("groups");
  for (const auto& [name, _] : n.attrs) out.push_back(name);
  auto add_group = [&](std::string_view g) {
    auto it = data_.groups.find(g);
    if (it == data_.groups.end()) return;
    for (const auto& [name, _] : it->second.attrs) out.push_back(name);
  };
  for (const auto& g : n.groups) add_group(g);
  add_group(kEverything);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {
bool is_schema_name(std::string_view name) {
  const auto* info = schema::find(name);
  return info != nullptr && info->name == name;
}
}  // namespace

std::vector<std::string> Database::node_extra_names(std::string_view node) const {
  const NodeData& n = node_data(node);
  std::vector<std::string> out;
  auto scan = [&](const AttrMap& attrs) {
    for (const auto& [name, _] : attrs) {
      if (!is_schema_name(name) && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  };
  scan(n.attrs);
  for (const auto& g : n.groups) {
    if (auto it = data_.groups.find(g); it != data_.groups.end()) scan(it->second.attrs);
  }
  if (auto it = data_.groups.find(kEverything); it != data_.groups.end()) scan(it->second.attrs);
  return out;
}

std::vector<std::string> Database::extra_names() const {
  std::vector<std::string> out;
  auto scan = [&](const AttrMap& attrs) {
    for (const auto& [name, _] : attrs) {
      if (!is_schema_name(name)) out.push_back(name);
    }
  };
  for (const auto& [_, n] : data_.nodes) scan(n.attrs);
  for (const auto& [_, g] : data_.groups) scan(g.attrs);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

SecretBox& Database::secrets(bool create) {
  if (!secrets_) secrets_ = std::make_unique<SecretBox>(key_file(), create);
  return *secrets_;
}

}  // namespace confluent::attrdb
