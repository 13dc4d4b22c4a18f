// The read-only view of a store that `mock-ctl verify` uses: the records of notified definitions
// with their current values, the same refusals as every store command, and never a byte written.
#include "sender/store_reader.hpp"

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

// Records of two definitions on two objects, one updated, one deleted, one never notified (an
// object without a definition).
struct store_with_records {
  store_with_records() {
    sqlite_store db(file.path());
    db.put_definition(account_definition());
    soap::definition contact = account_definition("Contact_Sync");
    contact.object = "Contact";
    db.put_definition(contact);
    std::vector<record_change> changes{create("Acme"),
                                       create("Globex"),
                                       create("Initech"),
                                       {change_kind::create, "Contact", "", {{"Name", "Ada"}}},
                                       {change_kind::create, "Lead", "", {{"Name", "Nobody"}}}};
    ids = db.accept(changes, t0).record_ids;
    std::vector<record_change> later{update(ids[0], {{"Name", "Acme 2"}}), remove(ids[2])};
    db.accept(later, t0 + 1s);
  }
  temp_file file;
  std::vector<std::string> ids;
};

std::vector<record> notified(const store_reader& r, std::vector<std::string> definitions = {}) {
  std::vector<record> out;
  r.for_each_notified_record(definitions, [&](const record& rec) { out.push_back(rec); });
  return out;
}

TEST(store_reader, lists_the_notified_records_with_their_current_values_and_writes_nothing) {
  store_with_records s;
  const std::string before = bytes_of(s.file.path());
  {
    store_reader r(s.file.path());
    EXPECT_EQ(r.definition_names(), (std::vector<std::string>{"Notify_ERP", "Contact_Sync"}));
    const auto all = notified(r);
    ASSERT_EQ(all.size(), 4u);  // not the Lead: no definition, no notification
    EXPECT_EQ(all[0].id, s.ids[0]);
    EXPECT_EQ(all[0].fields,
              (std::vector<soap::field_value>{{"Name", "Acme 2"}, {"BillingCity", "Walldorf"}}));
    EXPECT_TRUE(all[2].deleted);
    EXPECT_EQ(all[3].object, "Contact");
    EXPECT_EQ(notified(r, {"Contact_Sync"}).size(), 1u);
    try {
      notified(r, {"Nope"});
      ADD_FAILURE() << "an unknown definition was accepted";
    } catch (const input_error& e) {
      EXPECT_NE(std::string(e.what()).find("Nope"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(bytes_of(s.file.path()), before);
  // Not even a -shm or -wal beside it.
  EXPECT_FALSE(std::filesystem::exists(s.file.path().string() + "-shm"));
  EXPECT_FALSE(std::filesystem::exists(s.file.path().string() + "-wal"));
}

// While a sender writes (its WAL holds commits not yet in the file), they are read.
TEST(store_reader, reads_the_commits_a_running_sender_holds_in_its_wal) {
  store_with_records s;
  sqlite_store writer(s.file.path(), sqlite_store::open_mode::existing);
  std::vector<record_change> change{update(s.ids[1], {{"Name", "Globex 2"}})};
  writer.accept(change, t0 + 2s);
  ASSERT_TRUE(std::filesystem::exists(s.file.path().string() + "-wal"));
  store_reader r(s.file.path());
  const auto all = notified(r);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1].fields[0].value, "Globex 2");
}

TEST(store_reader, refuses_what_every_store_command_refuses) {
  auto refusal = [](const std::filesystem::path& file) {
    const std::string before = bytes_of(file);
    try {
      store_reader r(file);
    } catch (const input_error& e) {
      EXPECT_EQ(bytes_of(file), before);
      return std::string(e.what());
    }
    return std::string("opened");
  };
  temp_file missing;
  EXPECT_NE(refusal(missing.path()).find("an existing store file"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(missing.path()));

  temp_file foreign;
  sql(foreign.path(), "CREATE TABLE users(name TEXT);");
  EXPECT_NE(refusal(foreign.path()).find("another application"), std::string::npos);

  store_with_records newer;
  sql(newer.file.path(), "UPDATE meta SET value = 2 WHERE key = 'schema_version';");
  EXPECT_NE(refusal(newer.file.path()).find("newer outbound"), std::string::npos);

  temp_file noise;
  std::ofstream(noise.path(), std::ios::binary) << std::string(8192, '\x5a');
  EXPECT_NE(refusal(noise.path()).find(noise.path().string()), std::string::npos);

  // An older store (no application id) is read, and not adopted: read-only means read-only.
  store_with_records older;
  sql(older.file.path(), "PRAGMA application_id = 0;");
  EXPECT_EQ(refusal(older.file.path()), "opened");
}

TEST(store_reader, fields_not_newest_compares_what_a_listener_received) {
  record r;
  r.id = "001000000000001AAA";
  r.fields = {{"Name", "Acme 2"}, {"BillingCity", "Walldorf"}};
  EXPECT_TRUE(fields_not_newest(r, std::vector<soap::field_value>{{"Id", r.id}, {"Name", "Acme 2"}})
                  .empty());
  EXPECT_EQ(fields_not_newest(
                r, std::vector<soap::field_value>{{"Name", "Acme"}, {"BillingCity", "Walldorf"}}),
            std::vector<std::string>{"Name"});
  // A field the record has no value for is sent as nil: nil is its newest value.
  EXPECT_TRUE(
      fields_not_newest(r, std::vector<soap::field_value>{{"Phone", std::nullopt}}).empty());
  EXPECT_EQ(fields_not_newest(r, std::vector<soap::field_value>{{"Phone", "555"}}),
            std::vector<std::string>{"Phone"});
}

}  // namespace
}  // namespace outbound::sender::testing
