#pragma once
// A store file as another program sees it: its bytes, and SQL run on it with the plain SQLite
// API (no outbound code in between), for tests that a refused or read-only open changes nothing.
//   const std::string before = bytes_of(file.path());  sql(file.path(), "UPDATE meta ...");
//   sql_int(file.path(), "PRAGMA page_size")

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace outbound::sender::testing {

inline std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_bytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

// Runs `text` on `file` with the plain SQLite API, as another program would.
inline void sql(const std::filesystem::path& file, const std::string& text) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// The first column of the first row of `query` on `file` (a pragma's value, a count), or -1.
inline std::int64_t sql_int(const std::filesystem::path& file, const std::string& query) {
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr);
  const std::int64_t value = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return value;
}

}  // namespace outbound::sender::testing
