#pragma once
// A thin RAII layer over the SQLite C API for sqlite_store (internal to sender/): a connection,
// prepared statements that reset themselves, and errors as exceptions naming the file.
//   sqlite_db db(path, /*create=*/true);
//   statement_use use(db, "SELECT n FROM counts WHERE state = ?");
//   use.bind(1, "queued");
//   while (use.step()) total += use.int64(0);

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace outbound::sender::detail {

// For each connection that writes a store. Debian's SQLite overwrites freed space with zeros
// (SECURE_DELETE): every row settled frees its old cell and its due-index entry, and zeroing
// the merged free block of a 32 KiB page cost the writer thread more than the rest of its work
// (15.5k instructions per notification resuming, 10.1k without). The zeros only erased older
// versions of rows still in the file (a record's previous values, a row's previous state):
// the file keeps every record's current values, so it was never a way to erase them.
inline constexpr std::string_view no_secure_delete = "PRAGMA secure_delete=OFF;";

class sqlite_db {
 public:
  sqlite_db(const std::filesystem::path& file, bool create);
  // Read-only: SQLite never writes the file through this connection (store_reader).
  struct read_only_tag {};
  static constexpr read_only_tag read_only{};
  sqlite_db(const std::filesystem::path& file, read_only_tag);
  ~sqlite_db();
  sqlite_db(const sqlite_db&) = delete;
  sqlite_db& operator=(const sqlite_db&) = delete;

  void exec(const std::string& sql);
  // A statement compiled once and kept for the connection's life.
  sqlite3_stmt* prepare(const std::string& sql);
  std::int64_t changes() const;
  std::string last_error() const;  // SQLite's message for the last failed call
  void rollback() noexcept;
  [[noreturn]] void fail(const std::string& what) const;
  const std::string& file() const { return file_; }

 private:
  sqlite3* db_ = nullptr;
  std::string file_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// One execution of a prepared statement; resets it when done.
class statement_use {
 public:
  statement_use(sqlite_db& db, const std::string& sql) : db_(db), st_(db.prepare(sql)) {}
  ~statement_use();
  statement_use(const statement_use&) = delete;
  statement_use& operator=(const statement_use&) = delete;

  statement_use& bind(int i, std::int64_t v);
  statement_use& bind(int i, std::string_view v);
  // Without SQLite's copy: `v` must stay unchanged until this statement_use ends.
  statement_use& bind_unowned(int i, std::string_view v);
  statement_use& bind(int i, std::optional<std::int64_t> v);
  statement_use& bind_null(int i);
  bool step();  // true while a row is there
  void run();   // steps to the end, for statements without rows

  std::int64_t int64(int col) const;
  std::optional<std::int64_t> optional_int64(int col) const;
  std::string_view text(int col) const;

 private:
  sqlite_db& db_;
  sqlite3_stmt* st_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class transaction {
 public:
  explicit transaction(sqlite_db& db);
  ~transaction();
  void commit();

 private:
  sqlite_db& db_;
  bool open_ = true;
};

}  // namespace outbound::sender::detail
