// `outbound delete ID`: the status page's Del on a store made by the real `outbound send`: the
// notification is counted as deleted, leaves the page and is never sent; a delivered one, an
// unknown id or a missing store is exit 2.
#include <gtest/gtest.h>

#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

using nlohmann::json;

class delete_command : public store_fixture {};

TEST_F(delete_command, a_failed_notification_is_deleted_and_leaves_the_page) {
  const auto db = failed_store(3);
  const json before = status_json(db);
  ASSERT_EQ(before["items"].size(), 3u);
  const std::string id = before["items"][1].value("id", "");
  const std::string record = before["items"][1].value("record_id", "");

  const auto r = run_outbound("delete " + id + " --store " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, id + " deleted\n");

  const json after = status_json(db);
  EXPECT_EQ(after["summary"].value("deleted", 0), 1) << after.dump(2);
  EXPECT_EQ(after["summary"].value("failed", 0), 2);
  EXPECT_EQ(after["items"].size(), 2u);
  EXPECT_TRUE(item_of(after, id).is_null()) << after.dump(2);
  EXPECT_FALSE(item_of(after, before["items"][0].value("id", "")).is_null());

  const auto page = run_outbound("status --store " + db);
  ASSERT_EQ(page.exit_code, 0) << page.output;
  EXPECT_EQ(page.output.find(record), std::string::npos) << page.output;
  EXPECT_NE(page.output.find("failed 2, dropped 0, deleted 1"), std::string::npos) << page.output;
}

TEST_F(delete_command, a_deleted_queued_notification_is_never_sent) {
  const auto db = queued_store(3);
  const std::string id = status_json(db)["items"][0].value("id", "");
  ASSERT_EQ(run_outbound("delete " + id + " --store " + db).exit_code, 0);

  const auto r = resume_to_mock(db);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // The engine counts every acknowledged notification: the deleted one was not among them.
  EXPECT_NE(r.output.find("queued 0, delivered 2 in 1 messages"), std::string::npos) << r.output;
  const json s = status_json(db);
  EXPECT_EQ(s["summary"].value("delivered", 0), 2) << s.dump(2);
  EXPECT_EQ(s["summary"].value("deleted", 0), 1);
}

TEST_F(delete_command, a_delivered_notification_cannot_be_deleted) {
  const auto db = delivered_store(2);
  // Delivered ones are not on the status page; the first notification of a store has this id.
  const std::string id = "04l5g0000000001AAA";
  const auto r = run_outbound("delete " + id + " --store " + db);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(db + ": " + id +
                          ": a queued, retrying or failed notification (it is delivered)"),
            std::string::npos)
      << r.output;
  const json s = status_json(db);
  EXPECT_EQ(s["summary"].value("delivered", 0), 2) << s.dump(2);
  EXPECT_EQ(s["summary"].value("deleted", -1), 0);
}

TEST_F(delete_command, deleting_twice_is_refused_the_second_time) {
  const auto db = failed_store(1);
  const std::string id = status_json(db)["items"][0].value("id", "");
  ASSERT_EQ(run_outbound("delete " + id + " --store " + db).exit_code, 0);
  const auto r = run_outbound("delete " + id + " --store " + db);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("(it is deleted)"), std::string::npos) << r.output;
  EXPECT_EQ(status_json(db)["summary"].value("deleted", 0), 1);
}

TEST_F(delete_command, an_unknown_or_missing_id_is_exit_2) {
  const auto db = failed_store(1);
  auto r = run_outbound("delete 04l5g0000000007AAA --store " + db);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(db + ": 04l5g0000000007AAA: the id of a notification in this store"),
            std::string::npos)
      << r.output;

  r = run_outbound("delete --store " + db);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("id is required"), std::string::npos) << r.output;
  const json s = status_json(db);
  EXPECT_EQ(s["summary"].value("failed", 0), 1) << "nothing changed";
  EXPECT_EQ(s["summary"].value("deleted", -1), 0);
}

TEST_F(delete_command, a_missing_store_is_exit_2_naming_the_file) {
  const auto missing = path("nothing.db");
  const auto r = run_outbound("delete 04l5g0000000001AAA --store " + missing);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(missing + ": an existing store file"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(missing));
}

}  // namespace
}  // namespace outbound::testing
