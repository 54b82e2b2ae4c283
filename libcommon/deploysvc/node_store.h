#pragma once
// The deployment service's view of the attribute store: one long-lived reader, reloaded
// when another process commits (SQLite's data_version), with MAC and UUID indexes so that
// a boot request finds its node in O(1). Thread-safe: the service's threads share it.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace confluent::attrdb {
class Database;
}

namespace confluent::deploysvc {

class NodeStore {
 public:
  NodeStore();
  ~NodeStore();
  NodeStore(const NodeStore&) = delete;
  NodeStore& operator=(const NodeStore&) = delete;

  // "52:54:00:AB:CD:EF", "52-54-00-ab-cd-ef"... ; nullopt when no node has it.
  std::optional<std::string> node_by_mac(std::string_view mac);
  std::optional<std::string> node_by_uuid(std::string_view uuid);

  // Runs `fn` on the current store under the lock (reads only: the reader's data may be
  // shared with the next request). Store failures propagate as confluent::Error.
  void read(const std::function<void(attrdb::Database&)>& fn);
  // Runs `fn` on a writable store in one transaction and commits it.
  void write(const std::function<void(attrdb::Database&)>& fn);

  // An API key check, remembered while the node's stored hash does not change (a SHA-512
  // crypt costs milliseconds; a node makes many requests).
  bool verify_api_key(attrdb::Database& db, const std::string& node, std::string_view key);

 private:
  void refresh_locked();

  std::mutex mutex_;
  std::unique_ptr<attrdb::Database> db_;
  long long version_ = -1;
  std::unordered_map<std::string, std::string> by_mac_;   // normalized MAC -> node
  std::unordered_map<std::string, std::string> by_uuid_;  // lower-case UUID -> node
  struct KnownKey {
    std::string hash;    // the stored crypt hash it was checked against
    std::string digest;  // SHA-256 of the key that matched it
  };
  std::unordered_map<std::string, KnownKey> known_keys_;
};

// Lower-case UUID without braces; "" when the text is not a UUID.
std::string normalize_uuid(std::string_view text);

}  // namespace confluent::deploysvc
