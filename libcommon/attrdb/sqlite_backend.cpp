#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "attrdb/backend.h"
#include "base/error.h"
#include "base/strings.h"

namespace confluent::attrdb {

namespace {

constexpr int kBusyTimeoutMs = 120000;

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nodes(name TEXT PRIMARY KEY, groups TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS groups(name TEXT PRIMARY KEY, noderange TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS attributes(
  owner_kind INTEGER NOT NULL, owner TEXT NOT NULL, name TEXT NOT NULL,
  value TEXT NOT NULL DEFAULT '', expression TEXT NOT NULL DEFAULT '',
  sealed BLOB, hash TEXT NOT NULL DEFAULT '', grubhash TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(owner_kind, owner, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS free_indexes(idx INTEGER PRIMARY KEY);
INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '1');
INSERT OR IGNORE INTO groups(name, noderange) VALUES('everything', '');
)sql";

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw Error(ErrorKind::Store, std::string("attribute store: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_blob(int i, std::string_view blob) {
    if (blob.empty()) {
      sqlite3_bind_null(stmt_, i);
    } else {
      sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    }
    return *this;
  }
  Statement& bind(int i, long long v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  // True while a row is available.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw Error(ErrorKind::Store, std::string("attribute store: ") + sqlite3_errmsg(sqlite3_db_handle(stmt_)));
  }
  void run() {
    step();
    reset();
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }
  std::string blob(int col) const {
    auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }
  long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteBackend final : public Backend {
 public:
  SqliteBackend(const std::filesystem::path& file, bool create) : file_(file) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK && !create) {  // a reader without write access to the store
      sqlite3_close(db_);
      db_ = nullptr;
      rc = sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    }
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw Error(ErrorKind::Store, "cannot open attribute store '" + file.string() + "': " + msg);
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    if (create) exec("PRAGMA journal_mode=WAL");  // persistent in the file once set
    exec("PRAGMA synchronous=FULL");
    if (create) {
      begin_write();
      exec(kSchema);
      commit();
    }
  }
  ~SqliteBackend() override {
    stmts_.clear();
    if (in_transaction_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }

  void begin_read() override { begin("BEGIN"); }
  void begin_write() override { begin("BEGIN IMMEDIATE"); }
  void commit() override {
    exec("COMMIT");
    in_transaction_ = false;
  }
  void rollback() override {
    if (!in_transaction_) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    in_transaction_ = false;
  }

  long long data_version() override { return scalar("PRAGMA data_version"); }

  void load(Snapshot& out) override {
    Statement nodes(db_, "SELECT name, groups FROM nodes");
    while (nodes.step()) {
      auto& node = out.nodes[nodes.text(0)];
      std::string groups = nodes.text(1);
      if (!groups.empty()) node.groups = split(groups, ',');
    }
    Statement groups(db_, "SELECT name, noderange FROM groups");
    while (groups.step()) out.groups[groups.text(0)].noderange = groups.text(1);
    Statement attrs(db_,
                    "SELECT owner_kind, owner, name, value, expression, sealed, hash, grubhash FROM attributes");
    while (attrs.step()) {
      AttrMap* map = nullptr;
      std::string owner = attrs.text(1);
      if (attrs.integer(0) == static_cast<int>(OwnerKind::Node)) {
        auto it = out.nodes.find(owner);
        if (it != out.nodes.end()) map = &it->second.attrs;
      } else {
        auto it = out.groups.find(owner);
        if (it != out.groups.end()) map = &it->second.attrs;
      }
      if (map == nullptr) continue;  // orphan row: ignored
      Record& r = (*map)[attrs.text(2)];
      r.value = attrs.text(3);
      r.expression = attrs.text(4);
      r.sealed = attrs.blob(5);
      r.hash = attrs.text(6);
      r.grubhash = attrs.text(7);
    }
  }

  void put_node(std::string_view name, const std::vector<std::string>& groups) override {
    stmt("INSERT INTO nodes(name, groups) VALUES(?1, ?2) ON CONFLICT(name) DO UPDATE SET groups=?2")
        .bind(1, name).bind(2, join(groups, ",")).run();
  }
  void delete_node(std::string_view name) override {
    stmt("DELETE FROM nodes WHERE name=?1").bind(1, name).run();
    delete_attrs(OwnerKind::Node, name);
  }
  void put_group(std::string_view name, std::string_view noderange) override {
    stmt("INSERT INTO groups(name, noderange) VALUES(?1, ?2) ON CONFLICT(name) DO UPDATE SET noderange=?2")
        .bind(1, name).bind(2, noderange).run();
  }
  void delete_group(std::string_view name) override {
    stmt("DELETE FROM groups WHERE name=?1").bind(1, name).run();
    delete_attrs(OwnerKind::Group, name);
  }
  void put_attr(OwnerKind kind, std::string_view owner, std::string_view name, const Record& r) override {
    stmt("INSERT INTO attributes(owner_kind, owner, name, value, expression, sealed, hash, grubhash) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(owner_kind, owner, name) DO UPDATE SET "
         "value=?4, expression=?5, sealed=?6, hash=?7, grubhash=?8")
        .bind(1, static_cast<long long>(kind)).bind(2, owner).bind(3, name).bind(4, r.value)
        .bind(5, r.expression).bind_blob(6, r.sealed).bind(7, r.hash).bind(8, r.grubhash).run();
  }
  void delete_attr(OwnerKind kind, std::string_view owner, std::string_view name) override {
    stmt("DELETE FROM attributes WHERE owner_kind=?1 AND owner=?2 AND name=?3")
        .bind(1, static_cast<long long>(kind)).bind(2, owner).bind(3, name).run();
  }
  void delete_attrs(OwnerKind kind, std::string_view owner) override {
    stmt("DELETE FROM attributes WHERE owner_kind=?1 AND owner=?2")
        .bind(1, static_cast<long long>(kind)).bind(2, owner).run();
  }
  std::optional<std::string> meta(std::string_view key) override {
    Statement& s = stmt("SELECT value FROM meta WHERE key=?1");
    s.bind(1, key);
    std::optional<std::string> out;
    if (s.step()) out = s.text(0);
    s.reset();
    return out;
  }
  void put_meta(std::string_view key, std::string_view value) override {
    stmt("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=?2")
        .bind(1, key).bind(2, value).run();
  }
  void add_free_index(long long index) override {
    stmt("INSERT OR IGNORE INTO free_indexes(idx) VALUES(?1)").bind(1, index).run();
  }
  long long free_index_count() override { return scalar("SELECT count(*) FROM free_indexes"); }
  long long take_lowest_free_index() override {
    long long idx = scalar("SELECT min(idx) FROM free_indexes");
    stmt("DELETE FROM free_indexes WHERE idx=?1").bind(1, idx).run();
    return idx;
  }

 private:
  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw Error(ErrorKind::Store, "attribute store '" + file_.string() + "': " + msg);
    }
  }
  // BEGIN IMMEDIATE can still report BUSY without waiting (WAL recovery); retry a while.
  void begin(const char* sql) {
    for (int attempt = 0;; ++attempt) {
      int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
      if (rc == SQLITE_OK) {
        in_transaction_ = true;
        return;
      }
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= 300) {
        throw Error(ErrorKind::Store, "attribute store '" + file_.string() + "': " + sqlite3_errmsg(db_));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10 + attempt % 50));
    }
  }
  long long scalar(const char* sql) {
    Statement& s = stmt(sql);
    long long v = s.step() ? s.integer(0) : 0;
    s.reset();
    return v;
  }
  Statement& stmt(const char* sql) {
    auto it = stmts_.find(sql);
    if (it == stmts_.end()) it = stmts_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
    return *it->second;
  }

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  bool in_transaction_ = false;
  std::unordered_map<const char*, std::unique_ptr<Statement>> stmts_;
};

}  // namespace

std::unique_ptr<Backend> open_sqlite_backend(const std::filesystem::path& file, bool create) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(file, ec)) return nullptr;
  if (create) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      throw Error(ErrorKind::Store, "cannot create '" + file.parent_path().string() + "': " + ec.message());
    }
  }
  return std::make_unique<SqliteBackend>(file, create);
}

}  // namespace confluent::attrdb
