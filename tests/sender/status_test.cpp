#include "sender/status.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sender/memory_store.hpp"
#include "tests/sender/store_contract.hpp"

namespace outbound::sender::testing {
namespace {

class status_test : public ::testing::Test {
 protected:
  // Three notifications: one delivered, one retrying with a long reason, one failed.
  status_test() {
    db.put_definition(account_definition());
    std::vector<record_change> changes{create("A"), create("B"), create("C"), create("D")};
    r = db.accept(changes, t0);
    auto due = db.take_due("Notify_ERP", t0, 3);
    std::vector<settlement> ok{{due[0].item.sequence, state::delivered, {}}};
    db.record_attempt(ok, t0 + 1s, "");
    std::vector<settlement> retry{{due[1].item.sequence, state::retrying, t0 + 15s}};
    db.record_attempt(retry, t0 + 1s, long_reason);
    std::vector<settlement> fail{{due[2].item.sequence, state::failed, {}}};
    db.record_attempt(fail, t0 + 2s, "(503)Service Unavailable");
  }
  const std::string long_reason =
      "org.xml.sax.SAXParseException; lineNumber: 1; columnNumber: 1; Content is not allowed in "
      "prolog. The listener answered with an HTML error page instead of a SOAP message.";
  memory_store db;
  accept_result r;
};

TEST_F(status_test, rows_for_queued_retrying_and_failed_in_queue_order) {
  auto s = collect_status(db);
  ASSERT_EQ(s.items.size(), 3u);
  EXPECT_EQ(s.items[0].record_id, r.record_ids[1]);
  EXPECT_EQ(s.items[0].status, state::retrying);
  EXPECT_EQ(s.items[0].outbound_message, "Notify ERP");
  EXPECT_EQ(s.items[0].object, "Account");
  EXPECT_EQ(s.items[0].attempts, 1);
  EXPECT_EQ(s.items[0].next_attempt, t0 + 15s);
  EXPECT_EQ(s.items[0].action, "Retry | Del");
  EXPECT_EQ(s.items[1].status, state::failed);
  EXPECT_FALSE(s.items[1].next_attempt);
  EXPECT_EQ(s.items[2].status, state::queued);
  EXPECT_EQ(s.summary[state::delivered], 1u);
  EXPECT_EQ(s.summary[state::failed], 1u);
  EXPECT_EQ(s.items_left_out, 0u);
  EXPECT_EQ(collect_status(db, 2).items_left_out, 1u);
}

TEST_F(status_test, text_table_truncates_long_reasons) {
  auto text = render_status_text(collect_status(db));
  EXPECT_EQ(text.rfind("Action   ", 0), 0u) << text;
  // The Action cell carries the id that `outbound retry` and `outbound delete` take.
  EXPECT_NE(text.find("\nRetry | Del 04l5g0000000002AAA  Notify ERP        Account  0015g"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Delivery Failure Reason"), std::string::npos);
  EXPECT_NE(text.find(truncate_reason(long_reason)), std::string::npos);
  EXPECT_EQ(text.find(long_reason), std::string::npos);
  EXPECT_NE(text.find("(503)Service Unavailable"), std::string::npos);
  EXPECT_NE(text.find("2026-01-05T09:00:15.000Z"), std::string::npos);
  EXPECT_NE(
      text.find("queued 1, in_flight 0, retrying 1, delivered 1, failed 1, dropped 0, deleted 0"),
      std::string::npos);
}

TEST_F(status_test, truncation_counts_characters_not_bytes) {
  EXPECT_EQ(truncate_reason("short"), "short");
  EXPECT_EQ(truncate_reason("abcdefghij", 8), "abcde...");
  EXPECT_EQ(truncate_reason("äöüäöüäöüä", 8), "äöüäö...");
  EXPECT_EQ(truncate_reason(std::string(80, 'x')).size(), 80u);
  EXPECT_EQ(truncate_reason(std::string(81, 'x')), std::string(77, 'x') + "...");
}

TEST_F(status_test, json_has_summary_and_full_items) {
  auto j = status_to_json(collect_status(db));
  EXPECT_EQ(j["summary"],
            nlohmann::json::parse(R"({"queued": 1, "in_flight": 0, "retrying": 1, "delivered": 1,
                                      "failed": 1, "dropped": 0, "deleted": 0})"));
  ASSERT_EQ(j["items"].size(), 3u);
  const auto& first = j["items"][0];
  EXPECT_EQ(first["id"], r.notifications[1].id);
  EXPECT_EQ(first["state"], "retrying");
  EXPECT_EQ(first["reason"], long_reason);
  EXPECT_EQ(first["created"], "2026-01-05T09:00:00.000Z");
  EXPECT_EQ(first["next_attempt"], "2026-01-05T09:00:15.000Z");
  EXPECT_TRUE(j["items"][1]["next_attempt"].is_null());
  EXPECT_EQ(j["items"][2]["attempts"], 0);
}

TEST_F(status_test, empty_store_says_so) {
  memory_store empty;
  auto text = render_status_text(collect_status(empty));
  EXPECT_NE(text.find("No notifications are queued or failing."), std::string::npos);
}

TEST_F(status_test, definitions_page_lists_settings_and_counts) {
  auto crm = account_definition("Notify_CRM", false);
  crm.name = "Notify CRM";
  crm.include_session_id = true;
  crm.endpoint_url = "https://crm.example.com/sf";
  db.put_definition(crm);
  auto text = render_definitions_text(db);
  EXPECT_NE(text.find("Notify ERP (Notify_ERP)\n  Object:                Account\n"
                      "  Endpoint URL:          http://127.0.0.1:8080/erp\n"
                      "  Fields to Send:        Id, BillingCity, Name\n"
                      "  Send Session ID:       no\n  Use Dead Letter Queue: yes\n"
                      "  Notifications:         queued 1, in_flight 0, retrying 1, delivered 1, "
                      "failed 1, dropped 0, deleted 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Notify CRM (Notify_CRM)"), std::string::npos);
  EXPECT_NE(text.find("  Send Session ID:       yes\n  Use Dead Letter Queue: no\n"),
            std::string::npos);
  EXPECT_NE(text.find("https://crm.example.com/sf"), std::string::npos);
}

}  // namespace
}  // namespace outbound::sender::testing
