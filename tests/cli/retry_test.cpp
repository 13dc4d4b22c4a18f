// `outbound retry ID|--failed`: the status page's Retry on a store made by the real `outbound
// send`: the notification is due now (a failed one back in the queue as retrying, attempts kept),
// and resuming `outbound send` delivers it; bad ids and bad usage are exit 2.
#include <gtest/gtest.h>

#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

using nlohmann::json;

class retry_command : public store_fixture {
 protected:
  // Checks that `item` is pending with its next attempt within [before, after] (milliseconds).
  static void expect_due_between(const json& item, time_point before, time_point after) {
    const auto next = parse_timestamp(
        item["next_attempt"].is_string() ? item["next_attempt"].get<std::string>() : std::string());
    ASSERT_TRUE(next) << item.dump();
    EXPECT_GE(*next, std::chrono::floor<std::chrono::milliseconds>(before)) << item.dump();
    EXPECT_LE(*next, after) << item.dump();
  }
};

TEST_F(retry_command, retry_id_puts_a_failed_notification_back_due_now) {
  const auto db = failed_store(2);
  const json failed = status_json(db);
  ASSERT_EQ(failed["items"].size(), 2u);
  const std::string id = failed["items"][0].value("id", "");
  const std::string other = failed["items"][1].value("id", "");

  const time_point before = now();
  const auto r = run_outbound("retry " + id + " --store " + db);
  const time_point after = now();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, id + " due now\n");

  const json s = status_json(db);
  EXPECT_EQ(s["summary"].value("retrying", 0), 1) << s.dump(2);
  EXPECT_EQ(s["summary"].value("failed", 0), 1);
  const json item = item_of(s, id);
  EXPECT_EQ(item.value("state", ""), "retrying") << item.dump();
  EXPECT_EQ(item.value("attempts", -1), 1) << "Retry keeps the attempt count";
  EXPECT_EQ(item.value("reason", ""), failed["items"][0].value("reason", "x"));
  expect_due_between(item, before, after);
  EXPECT_EQ(item_of(s, other).value("state", ""), "failed");
}

TEST_F(retry_command, retry_failed_moves_the_whole_failed_list_back) {
  const auto db = failed_store(3);
  const time_point before = now();
  auto r = run_outbound("retry --failed --store " + db);
  const time_point after = now();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "3 failed notifications due now\n");

  const json s = status_json(db);
  EXPECT_EQ(s["summary"].value("failed", -1), 0) << s.dump(2);
  EXPECT_EQ(s["summary"].value("retrying", 0), 3);
  ASSERT_EQ(s["items"].size(), 3u);
  for (const auto& item : s["items"]) {
    EXPECT_EQ(item.value("state", ""), "retrying");
    expect_due_between(item, before, after);
  }

  r = run_outbound("retry --failed --store " + db);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "0 failed notifications due now\n");
}

TEST_F(retry_command, retry_id_makes_a_queued_notification_due_now) {
  const auto db = queued_store(2);
  const std::string id = status_json(db)["items"][1].value("id", "");
  const time_point before = now();
  const auto r = run_outbound("retry " + id + " --store " + db);
  const time_point after = now();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json item = item_of(status_json(db), id);
  EXPECT_EQ(item.value("state", ""), "queued") << item.dump();
  EXPECT_EQ(item.value("attempts", -1), 0);
  expect_due_between(item, before, after);
}

TEST_F(retry_command, resuming_send_delivers_only_the_retried_notification) {
  const auto db = failed_store(2);
  const std::string id = status_json(db)["items"][1].value("id", "");
  ASSERT_EQ(run_outbound("retry " + id + " --store " + db).exit_code, 0);

  const auto r = resume_to_mock(db);
  EXPECT_EQ(r.exit_code, 1) << "one is still in the failed list: " << r.output;
  EXPECT_NE(r.output.find("delivered 1 in 1 messages"), std::string::npos) << r.output;

  const json s = status_json(db);
  EXPECT_EQ(s["summary"].value("delivered", 0), 1) << s.dump(2);
  EXPECT_EQ(s["summary"].value("failed", 0), 1);
  EXPECT_TRUE(item_of(s, id).is_null()) << "a delivered one leaves the page";
}

TEST_F(retry_command, an_unknown_id_is_exit_2_naming_the_store_and_the_id) {
  const auto db = failed_store(1);
  for (const std::string& id : std::vector<std::string>{"04l5g0000000009AAA", "not-an-id"}) {
    const auto r = run_outbound("retry " + id + " --store " + db);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(db + ": " + id + ": the id of a notification in this store"),
              std::string::npos)
        << r.output;
  }
  EXPECT_EQ(status_json(db)["summary"].value("failed", 0), 1) << "nothing changed";
}

TEST_F(retry_command, a_delivered_or_deleted_notification_cannot_be_retried) {
  const auto db = delivered_store(1);
  ASSERT_EQ(run_outbound("retry --failed --store " + db).output,
            "0 failed notifications due now\n");
  // The first notification of a store; delivered ones are not on the status page.
  const std::string delivered = "04l5g0000000001AAA";
  auto r = run_outbound("retry " + delivered + " --store " + db);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("(it is delivered)"), std::string::npos) << r.output;
  EXPECT_EQ(status_json(db)["summary"].value("delivered", 0), 1);

  const auto other = failed_store(1, "other.db");
  const std::string id = status_json(other)["items"][0].value("id", "");
  ASSERT_EQ(run_outbound("delete " + id + " --store " + other).exit_code, 0);
  r = run_outbound("retry " + id + " --store " + other);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(other + ": " + id + ": a queued, retrying or failed notification"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("(it is deleted)"), std::string::npos) << r.output;
  EXPECT_EQ(status_json(other)["summary"].value("deleted", 0), 1);
}

TEST_F(retry_command, an_id_and_failed_together_or_neither_is_bad_usage) {
  const auto db = failed_store(1);
  const std::string id = status_json(db)["items"][0].value("id", "");
  for (const std::string& args : std::vector<std::string>{"--failed " + id, std::string()}) {
    const auto r = run_outbound("retry " + args + " --store " + db);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("either a notification id or --failed"), std::string::npos) << r.output;
  }
  EXPECT_EQ(status_json(db)["summary"].value("failed", 0), 1) << "nothing changed";
}

TEST_F(retry_command, a_missing_store_is_exit_2_naming_the_file) {
  const auto missing = path("nothing.db");
  for (const std::string& args : std::vector<std::string>{"--failed", "04l5g0000000001AAA"}) {
    const auto r = run_outbound("retry " + args + " --store " + missing);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(missing + ": an existing store file"), std::string::npos) << r.output;
  }
  EXPECT_FALSE(fs::exists(missing));
}

}  // namespace
}  // namespace outbound::testing
