// `outbound definitions`: the outbound messages of a store made by the real `outbound send`, as the
// Setup page lists them (name, object, endpoint URL, fields, session id, dead-letter queue) with
// the notifications of each per state; exit 2 naming the file when there is no store.
#include <gtest/gtest.h>

#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

class definitions_command : public store_fixture {
 protected:
  // The lines `outbound definitions --store db` prints (none when it fails).
  std::vector<std::string> listed(const std::string& db) {
    const auto r = run_outbound("definitions --store " + db);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.exit_code == 0 ? lines_of(r.output) : std::vector<std::string>{};
  }
  std::vector<std::string> account_lines(const std::string& counts) const {
    return {"Notify ERP (Notify_ERP)",
            "  Object:                Account",
            "  Endpoint URL:          " + endpoint_,
            "  Fields to Send:        Id, AccountNumber, BillingCity, BillingCountry, "
            "BillingPostalCode, BillingStreet, Name",
            "  Send Session ID:       no",
            "  Use Dead Letter Queue: yes",
            "  Notifications:         " + counts};
  }
};

TEST_F(definitions_command, lists_the_definition_and_its_counts_as_setup_does) {
  const auto db = failed_store(2);
  EXPECT_EQ(listed(db),
            account_lines(
                "queued 0, in_flight 0, retrying 0, delivered 0, failed 2, dropped 0, deleted 0"));
}

TEST_F(definitions_command, counts_follow_retry_and_delete) {
  const auto db = failed_store(3);
  const auto s = status_json(db);
  ASSERT_EQ(s["items"].size(), 3u);
  ASSERT_EQ(run_outbound("retry " + s["items"][0].value("id", "") + " --store " + db).exit_code, 0);
  ASSERT_EQ(run_outbound("delete " + s["items"][2].value("id", "") + " --store " + db).exit_code,
            0);
  EXPECT_EQ(listed(db),
            account_lines(
                "queued 0, in_flight 0, retrying 1, delivered 0, failed 1, dropped 0, deleted 1"));
}

TEST_F(definitions_command, each_definition_of_a_store_has_its_own_block_and_counts) {
  const auto db = failed_store(2);
  const std::string account_endpoint = endpoint_;
  // Session id (so https), no dead-letter queue: its expired notifications are dropped.
  const auto contact = path("contact.json");
  std::ofstream(contact) << R"({"full_name": "Sync_Contact", "name": "Sync Contact",
    "object": "Contact", "fields": ["Email", "LastName"], "endpoint_url": "https://x.example.com/",
    "include_session_id": true, "use_dead_letter_queue": false, "api_version": "59.0"})";
  const std::string contact_endpoint =
      "https://127.0.0.1:" + std::to_string(unused_port()) + "/contact";
  const auto sent =
      run_outbound("send --definition " + contact + " --endpoint " + contact_endpoint +
                   " --store " + db + " --records 3 --retry fixed:1h,max_attempts=1");
  ASSERT_EQ(sent.exit_code, 1) << sent.output;

  const auto lines = listed(db);
  endpoint_ = account_endpoint;
  auto expected = account_lines(
      "queued 0, in_flight 0, retrying 0, delivered 0, failed 2, dropped 0, deleted 0");
  expected.insert(expected.end(),
                  {"", "Sync Contact (Sync_Contact)", "  Object:                Contact",
                   "  Endpoint URL:          " + contact_endpoint,
                   "  Fields to Send:        Id, Email, LastName", "  Send Session ID:       yes",
                   "  Use Dead Letter Queue: no",
                   "  Notifications:         queued 0, in_flight 0, retrying 0, delivered 0, "
                   "failed 0, dropped 3, deleted 0"});
  EXPECT_EQ(lines, expected);

  // Dropped ones are counted on the status page too, but not listed.
  const auto s = status_json(db);
  EXPECT_EQ(s["summary"].value("dropped", 0), 3) << s.dump(2);
  EXPECT_EQ(s["items"].size(), 2u);
}

TEST_F(definitions_command, a_missing_store_or_a_file_that_is_no_store_is_exit_2) {
  const auto missing = path("nothing.db");
  auto r = run_outbound("definitions --store " + missing);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(missing + ": an existing store file"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(missing));

  const auto text = path("notes.txt");
  std::ofstream(text) << "Notify_ERP: Account -> https://sap.example.com/ (not a database)\n";
  r = run_outbound("definitions --store " + text);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(text + ": a store file"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace outbound::testing
