// The SQLite C API behind RAII: statements are prepared once and reset after each use.
#include "sender/sqlite_db.hpp"

#include <sqlite3.h>

#include <cctype>
#include <stdexcept>

#include "common/input_error.hpp"

namespace outbound::sender::detail {

namespace {

// SQLite counts every allocation for sqlite3_status() under a global mutex, which outbound never
// reads: with two connections at work, a mutex pair per allocation. Turned off before SQLite
// initialises (at the first open); if something initialised it earlier, the call fails, harmlessly.
void configure_sqlite() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
}

// `name` is the file, or its URI; `file` names it in errors.
sqlite3* open(const std::string& name, int flags, const std::string& file) {
  configure_sqlite();
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw input_error(file, "", "a store file that SQLite can open (" + msg + ")");
  }
  // Another process (outbound status while send runs) may hold the lock for a moment.
  sqlite3_busy_timeout(db, 5000);
  return db;
}

sqlite3* open(const std::string& file, int flags) {
  return open(file, flags, file);
}

// "file:/a%20b.db?mode=ro": a URI filename (sqlite.org/uri.html) with every byte but the
// unreserved ones and '/' percent-encoded.
std::string read_only_uri(const std::filesystem::path& file, bool immutable) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (const unsigned char c : file.string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    }
  }
  return uri + (immutable ? "?mode=ro&immutable=1" : "?mode=ro");
}

}  // namespace

sqlite_db::sqlite_db(const std::filesystem::path& file, read_only_tag) : file_(file.string()) {
  // Without a -wal file every commit is in the file itself: read it as immutable, so that SQLite
  // makes no -shm or -wal beside it. With one (a sender running, or killed), read it the usual
  // way: the commits in the WAL count, and its -shm is the writer's.
  std::error_code ec;
  const bool wal = std::filesystem::exists(file_ + "-wal", ec);
  db_ = open(read_only_uri(file, !wal), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, file_);
}

sqlite_db::sqlite_db(const std::filesystem::path& file, bool create)
    : db_(open(file.string(), SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0))),
      file_(file.string()) {}

sqlite_db::~sqlite_db() {
  for (auto& [sql, st] : statements_) sqlite3_finalize(st);
  sqlite3_close(db_);
}

void sqlite_db::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    fail(msg + " in: " + sql.substr(0, 80));
  }
}

sqlite3_stmt* sqlite_db::prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &st, nullptr) != SQLITE_OK)
    fail(std::string(sqlite3_errmsg(db_)) + " in: " + sql.substr(0, 80));
  statements_.emplace(sql, st);
  return st;
}

std::string sqlite_db::last_error() const {
  return sqlite3_errmsg(db_);
}

std::int64_t sqlite_db::changes() const {
  return sqlite3_changes64(db_);
}

void sqlite_db::rollback() noexcept {
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void sqlite_db::fail(const std::string& what) const {
  // A damaged file is the user's to repair or replace (exit 2), wherever it shows.
  const int code = sqlite3_errcode(db_);
  if (code == SQLITE_NOTADB)
    throw input_error(file_, "", "a store file made by outbound (SQLite: " + what + ")");
  if (code == SQLITE_CORRUPT)
    throw input_error(file_, "",
                      "a store file that is not damaged (SQLite: " + what +
                          "; restore a copy, or start a new store)");
  // Otherwise not bad input: the file is locked or the disk is full.
  throw std::runtime_error("store " + file_ + ": " + what);
}

statement_use::~statement_use() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

statement_use& statement_use::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(st_, i, v);
  return *this;
}
statement_use& statement_use::bind(int i, std::string_view v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
statement_use& statement_use::bind_unowned(int i, std::string_view v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
statement_use& statement_use::bind(int i, std::optional<std::int64_t> v) {
  return v ? bind(i, *v) : bind_null(i);
}
statement_use& statement_use::bind_null(int i) {
  sqlite3_bind_null(st_, i);
  return *this;
}

bool statement_use::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail(sqlite3_errmsg(sqlite3_db_handle(st_)));
}

void statement_use::run() {
  while (step()) {
  }
}

std::int64_t statement_use::int64(int col) const {
  return sqlite3_column_int64(st_, col);
}
std::optional<std::int64_t> statement_use::optional_int64(int col) const {
  if (sqlite3_column_type(st_, col) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(st_, col);
}
std::string_view statement_use::text(int col) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
  return p ? std::string_view(p, sqlite3_column_bytes(st_, col)) : std::string_view();
}

transaction::transaction(sqlite_db& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}
transaction::~transaction() {
  if (open_) db_.rollback();
}
void transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace outbound::sender::detail
