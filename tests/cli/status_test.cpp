// `outbound status`: the delivery status page of a store made by the real `outbound send`, as a
// table and as JSON, and exit 2 naming the file when there is no store.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

using nlohmann::json;

const std::string refused = "java.net.ConnectException: Connection refused (Connection refused)";
const std::vector<std::string> columns = {
    "Action",  "Outbound Message", "Object",       "Record Id",
    "Created", "Attempts",         "Next Attempt", "Delivery Failure Reason"};

// The table of `outbound status`: cells cut at the header's column starts, trimmed.
struct table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> after;  // the lines after the rows
};

std::string trim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  return s;
}

table parse_table(const std::string& text) {
  table t;
  auto lines = lines_of(text);
  if (lines.empty() || lines[0].rfind("Action", 0) != 0) {
    t.after = lines;
    return t;
  }
  std::vector<std::size_t> starts;
  for (const auto& c : columns) starts.push_back(lines[0].find(c));
  if (!std::is_sorted(starts.begin(), starts.end()) ||
      std::count(starts.begin(), starts.end(), std::string::npos) != 0)
    return t;
  auto cut = [&](const std::string& line) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < starts.size(); ++i) {
      const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : std::string::npos;
      cells.push_back(starts[i] < line.size() ? trim(line.substr(starts[i], end - starts[i])) : "");
    }
    return cells;
  };
  t.header = cut(lines[0]);
  std::size_t i = 1;
  for (; i < lines.size() && lines[i].rfind("Retry | Del", 0) == 0; ++i)
    t.rows.push_back(cut(lines[i]));
  t.after.assign(lines.begin() + static_cast<std::ptrdiff_t>(i), lines.end());
  return t;
}

class status_command : public store_fixture {};

TEST_F(status_command, the_table_lists_failed_notifications_with_the_documented_columns) {
  const auto db = failed_store(3);
  const json s = status_json(db);
  ASSERT_EQ(s["items"].size(), 3u) << s.dump(2);

  const auto r = run_outbound("status --store " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const table t = parse_table(r.output);
  EXPECT_EQ(t.header, columns) << r.output;
  ASSERT_EQ(t.rows.size(), 3u) << r.output;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& item = s["items"][i];
    const std::vector<std::string> expected = {"Retry | Del " + item.value("id", ""),
                                               "Notify ERP",
                                               "Account",
                                               item.value("record_id", ""),
                                               item.value("created", ""),
                                               "1",
                                               "",
                                               refused};
    EXPECT_EQ(t.rows[i], expected) << r.output;
  }
  ASSERT_EQ(t.after.size(), 1u) << r.output;
  EXPECT_EQ(t.after[0],
            "queued 0, in_flight 0, retrying 0, delivered 0, failed 3, dropped 0, deleted 0");
}

TEST_F(status_command, json_has_the_summary_counts_and_every_item) {
  const time_point before = now();
  const auto db = failed_store(3);
  const time_point after = now();
  const json s = status_json(db);
  ASSERT_FALSE(s.is_discarded());

  const json summary = {{"queued", 0}, {"in_flight", 0}, {"retrying", 0}, {"delivered", 0},
                        {"failed", 3}, {"dropped", 0},   {"deleted", 0}};
  EXPECT_EQ(s["summary"], summary) << s.dump(2);
  ASSERT_EQ(s["items"].size(), 3u) << s.dump(2);
  std::vector<std::string> ids, records;
  for (const auto& item : s["items"]) {
    EXPECT_EQ(item.value("state", ""), "failed");
    EXPECT_EQ(item.value("outbound_message", ""), "Notify ERP");
    EXPECT_EQ(item.value("object", ""), "Account");
    EXPECT_EQ(item.value("attempts", -1), 1);
    EXPECT_TRUE(item["next_attempt"].is_null()) << item.dump();
    EXPECT_EQ(item.value("reason", ""), refused);
    const auto created = parse_timestamp(item.value("created", ""));
    ASSERT_TRUE(created) << item.dump();
    // Created is written in milliseconds.
    EXPECT_GE(*created, std::chrono::floor<std::chrono::milliseconds>(before));
    EXPECT_LE(*created, after);
    ids.push_back(item.value("id", ""));
    records.push_back(item.value("record_id", ""));
  }
  for (const auto& id : ids) EXPECT_EQ(id.substr(0, 3), "04l") << id;
  for (const auto& id : records) EXPECT_EQ(id.substr(0, 3), "001") << id;
  // Queue order, one notification per record.
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
  EXPECT_EQ(std::unique(records.begin(), records.end()), records.end());
}

TEST_F(status_command, queued_retrying_and_failed_are_listed_in_queue_order) {
  const auto db = failed_store(3);
  const json failed = status_json(db);
  ASSERT_EQ(failed["items"].size(), 3u);
  const std::string retried = failed["items"][1].value("id", "");
  ASSERT_EQ(run_outbound("retry " + retried + " --store " + db).exit_code, 0);
  // Two more records into the same store, only queued.
  const auto more = send("store.db", 2, endpoint_, "--for 0s");
  ASSERT_EQ(more.exit_code, 1) << more.output;

  const json s = status_json(db);
  EXPECT_EQ(s["summary"].value("queued", 0), 2) << s.dump(2);
  EXPECT_EQ(s["summary"].value("retrying", 0), 1);
  EXPECT_EQ(s["summary"].value("failed", 0), 2);
  std::vector<std::string> states;
  for (const auto& item : s["items"]) states.push_back(item.value("state", ""));
  EXPECT_EQ(states, (std::vector<std::string>{"failed", "retrying", "failed", "queued", "queued"}));

  const auto r = run_outbound("status --store " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const table t = parse_table(r.output);
  ASSERT_EQ(t.rows.size(), 5u) << r.output;
  // Attempts and Next Attempt: failed ones have none due, queued ones were never tried.
  const std::vector<std::string> attempts = {"1", "1", "1", "0", "0"};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(t.rows[i][3], s["items"][i].value("record_id", "")) << r.output;
    EXPECT_EQ(t.rows[i][5], attempts[i]) << r.output;
    EXPECT_EQ(t.rows[i][6].empty(), states[i] == "failed") << r.output;
    EXPECT_EQ(t.rows[i][7], states[i] == "queued" ? "" : refused) << r.output;
  }
  ASSERT_FALSE(t.after.empty());
  EXPECT_EQ(t.after.back(),
            "queued 2, in_flight 0, retrying 1, delivered 0, failed 2, dropped 0, deleted 0");
}

TEST_F(status_command, limit_lists_the_first_ones_and_counts_the_rest) {
  const auto db = failed_store(5);
  const auto r = run_outbound("status --limit 2 --store " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const table t = parse_table(r.output);
  EXPECT_EQ(t.rows.size(), 2u) << r.output;
  ASSERT_EQ(t.after.size(), 2u) << r.output;
  EXPECT_EQ(t.after[0], "... and 3 more");
  EXPECT_EQ(t.after[1],
            "queued 0, in_flight 0, retrying 0, delivered 0, failed 5, dropped 0, deleted 0");

  const auto j = run_outbound("status --json --limit 2 --store " + db);
  ASSERT_EQ(j.exit_code, 0) << j.output;
  const json s = json::parse(j.output, nullptr, false);
  ASSERT_FALSE(s.is_discarded()) << j.output;
  EXPECT_EQ(s["items"].size(), 2u);
  EXPECT_EQ(s.value("items_left_out", 0), 3);
  EXPECT_EQ(s["summary"].value("failed", 0), 5);
}

TEST_F(status_command, delivered_notifications_are_counted_but_not_listed) {
  const auto db = delivered_store(2);
  const auto r = run_outbound("status --store " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(lines_of(r.output),
            (std::vector<std::string>{
                "No notifications are queued or failing.",
                "queued 0, in_flight 0, retrying 0, delivered 2, failed 0, dropped 0, deleted 0"}));
  const json s = status_json(db);
  EXPECT_TRUE(s["items"].empty()) << s.dump(2);
  EXPECT_EQ(s["summary"].value("delivered", 0), 2);
}

TEST_F(status_command, a_missing_store_is_exit_2_naming_the_file) {
  const auto missing = path("nothing.db");
  for (const std::string& json_flag : std::vector<std::string>{"", " --json"}) {
    const auto r = run_outbound("status --store " + missing + json_flag);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(missing + ": an existing store file"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(missing)) << "status must not create a store";
  }
}

TEST_F(status_command, a_file_that_is_no_store_is_exit_2_naming_the_file) {
  const auto text = path("notes.txt");
  std::ofstream(text) << "not a database, just text that happens to be long enough to read\n";
  auto r = run_outbound("status --store " + text);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(text + ": a store file"), std::string::npos) << r.output;

  r = run_outbound("status --store " + dir_.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(dir_.string()), std::string::npos) << r.output;
}

}  // namespace
}  // namespace outbound::testing
