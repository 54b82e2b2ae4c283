#include "deploysvc/node_store.h"

#include <openssl/sha.h>

#include <cctype>
#include <filesystem>

#include "attrdb/database.h"
#include "attrdb/secrets.h"
#include "base/error.h"
#include "base/strings.h"
#include "osdeploy/dhcp_config.h"

namespace confluent::deploysvc {

std::string normalize_uuid(std::string_view text) {
  std::string t(trim(text));
  if (t.size() == 38 && t.front() == '{' && t.back() == '}') t = t.substr(1, 36);
  if (t.size() != 36) return {};
  for (size_t i = 0; i < t.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? t[i] != '-' : !std::isxdigit(static_cast<unsigned char>(t[i]))) return {};
  }
  return to_lower(t);
}

NodeStore::NodeStore() = default;
NodeStore::~NodeStore() = default;

void NodeStore::refresh_locked() {
  if (db_) {
    long long v = db_->data_version();
    if (v == version_) return;
  } else {
    // No store yet: look again at most when the file appears.
    std::error_code ec;
    if (version_ == 0 && !std::filesystem::exists(attrdb::Database::store_file(), ec)) return;
  }
  db_.reset();
  version_ = -1;
  by_mac_.clear();
  by_uuid_.clear();
  auto db = attrdb::Database::open(attrdb::Access::Read);
  for (const auto& host : osdeploy::dhcp_hosts(*db, db->all_nodes()).hosts) by_mac_.emplace(host.mac, host.node);
  for (const auto& node : db->all_nodes()) {
    std::string uuid = normalize_uuid(db->resolve(node, "id.uuid").value);
    if (!uuid.empty()) by_uuid_.emplace(uuid, node);
  }
  version_ = db->data_version();
  db_ = std::move(db);
}

std::optional<std::string> NodeStore::node_by_mac(std::string_view mac) {
  std::string key = osdeploy::normalize_mac(std::string(mac));
  if (key.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  refresh_locked();
  auto it = by_mac_.find(key);
  if (it == by_mac_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> NodeStore::node_by_uuid(std::string_view uuid) {
  std::string key = normalize_uuid(uuid);
  if (key.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  refresh_locked();
  auto it = by_uuid_.find(key);
  if (it == by_uuid_.end()) return std::nullopt;
  return it->second;
}

void NodeStore::read(const std::function<void(attrdb::Database&)>& fn) {
  std::lock_guard lock(mutex_);
  try {
    refresh_locked();
  } catch (...) {
    db_.reset();  // reopened by the next request
    throw;
  }
  fn(*db_);
}

void NodeStore::write(const std::function<void(attrdb::Database&)>& fn) {
  auto db = attrdb::Database::open(attrdb::Access::Write);
  fn(*db);
  db->commit();
}

bool NodeStore::verify_api_key(attrdb::Database& db, const std::string& node, std::string_view key) {
  std::string hash = db.hashes(node, "crypted.selfapikey").crypt;
  if (hash.empty() || key.empty()) return false;
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), md);
  std::string digest(reinterpret_cast<const char*>(md), sizeof md);
  // Called under read(): the lock is held.
  if (auto it = known_keys_.find(node); it != known_keys_.end() && it->second.hash == hash) {
    return it->second.digest == digest;
  }
  if (!attrdb::verify_sha512_crypt(key, hash)) return false;
  known_keys_[node] = KnownKey{hash, digest};
  return true;
}

}  // namespace confluent::deploysvc
