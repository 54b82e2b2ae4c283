#pragma once
// The storage engine behind the attribute database. The semantics (inheritance, validation,
// expressions, secrets) live in Database; a backend only stores rows, inside transactions
// that exclude other writers. SQLite is the one engine today.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "attrdb/record.h"

namespace confluent::attrdb {

struct Snapshot {
  StringMap<NodeData> nodes;
  StringMap<GroupData> groups;
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual void begin_read() = 0;
  // Waits for other writers; all later reads see the latest committed state.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  virtual void load(Snapshot& out) = 0;
  // Changes whenever another connection commits to the store (a long-lived reader polls it).
  virtual long long data_version() = 0;

  virtual void put_node(std::string_view name, const std::vector<std::string>& groups) = 0;
  virtual void delete_node(std::string_view name) = 0;
  virtual void put_group(std::string_view name, std::string_view noderange) = 0;
  virtual void delete_group(std::string_view name) = 0;
  virtual void put_attr(OwnerKind kind, std::string_view owner, std::string_view name, const Record& record) = 0;
  virtual void delete_attr(OwnerKind kind, std::string_view owner, std::string_view name) = 0;
  virtual void delete_attrs(OwnerKind kind, std::string_view owner) = 0;

  virtual std::optional<std::string> meta(std::string_view key) = 0;
  virtual void put_meta(std::string_view key, std::string_view value) = 0;
  // Node indexes freed by removals, recycled once enough accumulate.
  virtual void add_free_index(long long index) = 0;
  virtual long long free_index_count() = 0;
  virtual long long take_lowest_free_index() = 0;
};

// Opens the SQLite store at `file`. With create=false a missing file gives nullptr.
std::unique_ptr<Backend> open_sqlite_backend(const std::filesystem::path& file, bool create);

}  // namespace confluent::attrdb
