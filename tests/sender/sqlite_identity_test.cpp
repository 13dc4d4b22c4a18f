// Store identity: sqlite_store reads PRAGMA application_id and meta.schema_version before it
// writes, so another program's database, a newer store and a damaged file are refused with an
// input_error and left byte-identical, while a store of the previous outbound is adopted.
#include "sender/sqlite_identity.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "common/input_error.hpp"
#include "sender/sqlite_store.hpp"
#include "tests/sender/raw_sqlite.hpp"
#include "tests/sender/store_contract.hpp"
#include "tests/sender/temp_file.hpp"

namespace outbound::sender::testing {
namespace {

class sqlite_identity_test : public ::testing::Test {
 protected:
  // A store with one definition and three queued notifications, closed.
  void make_store() {
    sqlite_store db(file.path());
    db.put_definition(account_definition());
    std::vector<record_change> changes(3, {change_kind::create, "Account", {}, {}});
    db.accept(changes, t0);
  }
  // The message of the input_error that opening the file throws (in `mode`), checking the file
  // is left as it was; "opened" when it opens.
  std::string refusal(sqlite_store::open_mode mode = sqlite_store::open_mode::create) {
    const std::string before = bytes_of(file.path());
    std::string message = "opened";
    try {
      sqlite_store db(file.path(), mode);
    } catch (const input_error& e) {
      message = e.what();
    }
    if (message != "opened") {
      EXPECT_EQ(bytes_of(file.path()), before) << message;
    }
    return message;
  }
  temp_file file;
};

TEST_F(sqlite_identity_test, a_new_store_carries_the_application_id) {
  make_store();
  EXPECT_EQ(sql_int(file.path(), "PRAGMA application_id"), sqlite_store::application_id);
}

TEST_F(sqlite_identity_test, another_programs_database_is_refused_and_left_alone) {
  sql(file.path(), "CREATE TABLE users(name TEXT); INSERT INTO users VALUES ('ada');");
  const std::string m = refusal();
  EXPECT_NE(m.find(file.path().string()), std::string::npos) << m;
  EXPECT_NE(m.find("another application"), std::string::npos) << m;
  EXPECT_NE(m.find("users"), std::string::npos) << m;
}

TEST_F(sqlite_identity_test, another_application_id_is_refused_even_without_tables) {
  sql(file.path(), "PRAGMA application_id = 1234;");
  const std::string m = refusal();
  EXPECT_NE(m.find("application_id 0x000004d2"), std::string::npos) << m;
}

TEST_F(sqlite_identity_test, another_application_id_is_refused_even_with_our_tables) {
  make_store();
  sql(file.path(), "PRAGMA application_id = 7;");
  EXPECT_NE(refusal().find("another application"), std::string::npos);
}

TEST_F(sqlite_identity_test, a_store_from_a_newer_outbound_is_refused) {
  make_store();
  sql(file.path(), "UPDATE meta SET value = 2 WHERE key = 'schema_version';");
  const std::string m = refusal(sqlite_store::open_mode::existing);
  EXPECT_NE(m.find("made by a newer outbound (schema version 2"), std::string::npos) << m;
}

TEST_F(sqlite_identity_test, a_store_of_the_previous_outbound_is_adopted) {
  make_store();
  sql(file.path(), "PRAGMA application_id = 0;");
  {
    sqlite_store db(file.path(), sqlite_store::open_mode::existing);
    EXPECT_EQ(db.counts()[state::queued], 3u);
  }
  EXPECT_EQ(sql_int(file.path(), "PRAGMA application_id"), sqlite_store::application_id);
}

TEST_F(sqlite_identity_test, an_empty_database_is_a_new_store_only_when_creating) {
  sql(file.path(), "PRAGMA user_version = 0;");
  EXPECT_NE(refusal(sqlite_store::open_mode::existing).find("empty"), std::string::npos);
  EXPECT_EQ(refusal(sqlite_store::open_mode::create), "opened");
}

TEST_F(sqlite_identity_test, random_bytes_are_refused_naming_the_file) {
  std::string noise(8192, '\0');
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 7919) % 251);
  write_bytes(file.path(), noise);
  EXPECT_NE(refusal().find(file.path().string()), std::string::npos);
}

TEST_F(sqlite_identity_test, a_damaged_schema_page_is_refused_naming_the_file) {
  make_store();
  std::string bytes = bytes_of(file.path());
  ASSERT_GT(bytes.size(), 4096u);
  for (std::size_t i = 100; i < 4096; ++i) bytes[i] = static_cast<char>(0xA5);
  write_bytes(file.path(), bytes);
  const std::string m = refusal(sqlite_store::open_mode::existing);
  EXPECT_NE(m.find(file.path().string()), std::string::npos) << m;
  EXPECT_NE(m.find("malformed"), std::string::npos) << m;
}

}  // namespace
}  // namespace outbound::sender::testing
