// Every command that opens a store (send, status, retry, delete, definitions) refuses, with
// exit 2 and a message naming the file, another program's SQLite file, a store made by a newer
// outbound and a damaged file, and leaves each byte-identical; a store of the previous outbound
// (no application id) is adopted.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

class store_identity : public store_fixture {
 protected:
  static std::string bytes_of(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Runs `text` on `file` with the plain SQLite API, as another program would.
  static void sql(const std::string& file, const std::string& text) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
  // Each store command run on `file` exits 2 naming it, saying `why`, and leaves it unchanged.
  void expect_refused(const std::string& file, const std::string& why) {
    const std::string before = bytes_of(file);
    const std::string id = "04l000000000001AAA";
    for (const std::string& command :
         {"send --definition " + account_definition() + " --records 1 --for 0s --store " + file,
          "send --store " + file, "status --store " + file, "definitions --store " + file,
          "retry --failed --store " + file, "delete " + id + " --store " + file}) {
      const auto r = run_outbound(command);
      EXPECT_EQ(r.exit_code, 2) << command << ": " << r.output;
      EXPECT_NE(r.output.find(file), std::string::npos) << command << ": " << r.output;
      EXPECT_NE(r.output.find(why), std::string::npos) << command << ": " << r.output;
      EXPECT_EQ(bytes_of(file), before) << command;
      EXPECT_FALSE(fs::exists(file + "-wal")) << command;
    }
  }
};

TEST_F(store_identity, another_programs_database_is_refused_by_every_command) {
  const std::string file = path("other.db");
  sql(file,
      "CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos(name) "
      "VALUES ('cat.jpg');");
  expect_refused(file, "another application");
}

TEST_F(store_identity, another_application_id_is_refused_by_every_command) {
  const std::string file = path("other.db");
  sql(file, "PRAGMA application_id = 42; CREATE TABLE t(x);");
  expect_refused(file, "application_id 0x0000002a");
}

TEST_F(store_identity, a_store_of_a_newer_outbound_is_refused_by_every_command) {
  const std::string db = queued_store(2);
  sql(db, "UPDATE meta SET value = 9 WHERE key = 'schema_version';");
  expect_refused(db, "made by a newer outbound");
}

TEST_F(store_identity, random_bytes_are_refused_by_every_command) {
  const std::string file = path("noise.db");
  std::string noise(16384, '\0');
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 7919) % 251);
  std::ofstream(file, std::ios::binary) << noise;
  expect_refused(file, "store file");
}

TEST_F(store_identity, a_malformed_store_is_refused_by_every_command) {
  const std::string db = queued_store(2);
  std::string bytes = bytes_of(db);
  ASSERT_GT(bytes.size(), 4096u);
  for (std::size_t i = 100; i < 4096; ++i) bytes[i] = static_cast<char>(0xA5);
  std::ofstream(db, std::ios::binary | std::ios::trunc) << bytes;
  expect_refused(db, "malformed");
}

TEST_F(store_identity, a_store_of_the_previous_outbound_is_adopted) {
  const std::string db = queued_store(2);
  sql(db, "PRAGMA application_id = 0;");
  EXPECT_EQ(status_json(db)["summary"].value("queued", 0), 2);
  const auto r = run_outbound("send --store " + db + " --for 0s");
  EXPECT_EQ(r.exit_code, 1) << r.output;  // still queued, nothing refused
}

}  // namespace
}  // namespace outbound::testing
