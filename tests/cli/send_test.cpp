// `outbound send`: the workload it queues (every create, update and delete, past the 10,000
// changes of one transaction), options that refuse before the store is opened or created
// (refused means unchanged), and --message for a workflow file with several messages.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "soap/ids.hpp"
#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

class send_command : public store_fixture {
 protected:
  std::string closed_endpoint() const {
    return "http://127.0.0.1:" + std::to_string(unused_port()) + "/sap/ack";
  }
  std::set<std::string> listing() const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.insert(e.path().filename().string());
    return names;
  }
  static std::string bytes_of(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // A file in the test's directory with `text` in it.
  std::string file_with(const std::string& name, const std::string& text) const {
    std::ofstream(path(name)) << text;
    return path(name);
  }
  // A fault plan for `outbound mock --faults`: every answer delayed by `value` ("20ms").
  std::string delay_faults(const std::string& value) const {
    const std::string plan =
        R"({"faults": [{"kind": "delay", "distribution": "fixed", "value": ")" + value + R"("}]})";
    return file_with("slow.json", plan);
  }
};

TEST_F(send_command, more_than_ten_thousand_records_with_an_update_are_all_queued) {
  const auto r =
      run_outbound("send --definition " + account_definition() + " --store :memory: --endpoint " +
                   closed_endpoint() + " --records 10000 --updates 1 --for 0s");
  EXPECT_EQ(r.exit_code, 1) << r.output;  // left queued
  EXPECT_NE(r.output.find("queued 10001,"), std::string::npos) << r.output;
}

TEST_F(send_command, deletes_past_the_first_ten_thousand_records_are_all_queued) {
  const auto r = send("store.db", 15000, closed_endpoint(), "--deletes 6000 --updates 5 --for 0s");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("queued 21005,"), std::string::npos) << r.output;
  EXPECT_EQ(status_json(path("store.db"))["summary"].value("queued", 0), 21005) << r.output;
}

// The workload is queued a chunk ahead of the first attempts: past the first chunk the feed waits
// for attempts to settle, and goes on as they do, to the last record.
TEST_F(send_command, a_workload_of_several_chunks_is_queued_as_it_is_delivered) {
  mock_process mock(dir_);
  ASSERT_FALSE(mock.url().empty()) << mock.output();
  const auto r = send("paced.db", 35000, mock.url() + "/ack", "--batch 100");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("queued 35000, delivered 35000 "), std::string::npos) << r.output;
}

// A slow endpoint: the first answer lets the feed queue a second chunk, and then it waits for
// thousands of first attempts that cannot settle before --for ends. When --for ends, the feed
// queues the rest at once (the attempt in flight settling is not enough to resume it).
TEST_F(send_command, when_for_ends_a_waiting_feed_queues_the_rest) {
  mock_process mock(dir_, {"--faults", delay_faults("400ms")});
  ASSERT_FALSE(mock.url().empty()) << mock.output();
  const auto r = send("slow.db", 25000, mock.url() + "/ack", "--batch 1 --connections 1 --for 1s");
  EXPECT_EQ(r.exit_code, 1) << r.output;  // left queued
  EXPECT_NE(r.output.find("queued 25000, "), std::string::npos) << r.output;
  const auto summary = status_json(path("slow.db"))["summary"];
  EXPECT_EQ(summary.value("queued", 0) + summary.value("delivered", 0), 25000) << r.output;
}

// Notifications the feed queued and another process deleted never settle: the engine goes idle
// with the workload unfinished, and the waiting feed goes on (it waited for ever before).
TEST_F(send_command, a_feed_waiting_for_notifications_deleted_elsewhere_goes_on) {
  mock_process mock(dir_, {"--faults", delay_faults("20ms")});
  ASSERT_FALSE(mock.url().empty()) << mock.output();
  const std::string store = path("gone.db");
  // Two chunks queued: the feed now waits for 10,000 first attempts, 20 ms each. Delete every
  // queued notification from a connection of our own, as another process would.
  std::atomic<bool> deleted{false};
  std::thread deleter([&] {
    sqlite3* db = nullptr;
    for (int tries = 0; tries < 3000 && !deleted; ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (db == nullptr &&
          sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        db = nullptr;
        continue;
      }
      sqlite3_busy_timeout(db, 10000);
      sqlite3_stmt* q = nullptr;
      sqlite3_prepare_v2(db, "SELECT count(*) FROM notifications", -1, &q, nullptr);
      const bool queued = q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) >= 20000;
      sqlite3_finalize(q);
      if (queued)
        deleted =
            sqlite3_exec(db, "UPDATE notifications SET state = 'deleted' WHERE state = 'queued'",
                         nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    sqlite3_close(db);
  });
  const auto r = run_shell("timeout 120 " + std::string(OUTBOUND_BINARY) + " send --definition " +
                           account_definition() + " --endpoint " + mock.url() + "/ack --store " +
                           store + " --records 20001 --batch 1 --connections 1");
  deleter.join();
  ASSERT_TRUE(deleted) << r.output;
  EXPECT_NE(r.exit_code, 124) << "send still waiting after 120 s: " << r.output;
  EXPECT_NE(r.output.find("queued 20001, "), std::string::npos) << r.output;
}

// A user's Del from another process while `send` runs: the notification is never sent, although
// the sender had read it ahead (at --batch 1 it reads 256 due rows a query and keeps the rest).
TEST_F(send_command, a_notification_deleted_while_send_runs_is_never_sent) {
  mock_process mock(dir_, {"--faults", delay_faults("5ms")});
  ASSERT_FALSE(mock.url().empty()) << mock.output();
  const std::string admin = mock.admin_url();
  ASSERT_FALSE(admin.empty()) << mock.output();
  const std::string gone = soap::make_id(soap::key_prefix::notification, 200);
  run_result sent;
  std::thread sender(
      [&] { sent = send("del.db", 400, mock.url() + "/ack", "--batch 1 --connections 1"); });
  // Once the first messages have come, the next 255 rows are in the sender's memory.
  const auto waited =
      run_outbound("mock-ctl --admin " + admin + " wait --notifications 5 --timeout 60s");
  const auto deleted = run_outbound("delete " + gone + " --store " + path("del.db"));
  sender.join();
  ASSERT_EQ(waited.exit_code, 0) << waited.output;
  ASSERT_EQ(deleted.exit_code, 0) << deleted.output;
  EXPECT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_NE(sent.output.find("queued 400, delivered 399"), std::string::npos) << sent.output;
  const auto exported =
      run_outbound("mock-ctl --admin " + admin + " ledger --export --out " + path("ledger.ndjson"));
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const std::string ledger = text_of(path("ledger.ndjson"));
  EXPECT_EQ(lines_of(ledger).size(), 399u);
  EXPECT_EQ(ledger.find(gone), std::string::npos) << gone << " was sent after its Del";
}

// Each of these refuses with exit 2 naming the option or file; `{dir}` is the test's directory.
const std::vector<std::string> refused_options = {
    "--batch 0",
    "--batch 101",
    "--connections 0",
    "--connections 100000000",
    "--timeout 0s",
    "--timeout soon",
    "--connect-timeout 0s",
    "--for -5s",
    "--retry sometimes",
    "--retry fixed:0s",
    "--records -1",
    "--updates -1",
    "--deletes -1",
    "--deletes 4",
    "--records 200000000",
    "--ca-file {dir}/missing.pem",
    "--ca-file {dir}/not_pem.txt",
    "--client-cert {dir}/not_pem.txt --client-key {dir}/not_pem.txt",
    "--client-cert {dir}/not_pem.txt",
    "--endpoint not-a-url",
    "--endpoint ftp://127.0.0.1/x",
    "--message Some_Other_Message",
};

// `send` of 3 records into `store` with `option` (`{dir}` replaced by `dir`), which replaces
// the --endpoint or --records of the command when it names one.
std::string refused_command(const std::string& store, std::string option, const std::string& dir,
                            const std::string& endpoint) {
  for (std::size_t at; (at = option.find("{dir}")) != std::string::npos;)
    option.replace(at, 5, dir);
  std::string command = "send --definition " + source_path("examples/definitions/account.json") +
                        " --store " + store + " " + option;
  if (option.rfind("--endpoint", 0) != 0) command += " --endpoint " + endpoint;
  if (option.rfind("--records", 0) != 0) command += " --records 3";
  return command;
}

// The option itself, which the message must name.
std::string option_name(const std::string& option) {
  return option.substr(0, option.find(' '));
}

TEST_F(send_command, a_refused_option_leaves_an_existing_store_byte_identical) {
  const std::string db = queued_store(5);
  file_with("not_pem.txt", "this is not PEM\n");
  const std::string before = bytes_of(db);
  const auto files = listing();
  for (const auto& option : refused_options) {
    const auto r = run_outbound(refused_command(db, option, dir_.string(), endpoint_));
    EXPECT_EQ(r.exit_code, 2) << option << ": " << r.output;
    EXPECT_NE(r.output.find(option_name(option)), std::string::npos) << r.output;
    EXPECT_EQ(bytes_of(db), before) << option;
    EXPECT_EQ(listing(), files) << option;
  }
  EXPECT_EQ(status_json(db)["summary"].value("queued", 0), 5);
}

TEST_F(send_command, a_refused_option_creates_no_store) {
  file_with("not_pem.txt", "this is not PEM\n");
  const auto files = listing();
  for (const auto& option : refused_options) {
    const auto r =
        run_outbound(refused_command(path("new.db"), option, dir_.string(), closed_endpoint()));
    EXPECT_EQ(r.exit_code, 2) << option << ": " << r.output;
    EXPECT_EQ(listing(), files) << option;
  }
}

TEST_F(send_command, a_missing_or_bad_definition_creates_no_store) {
  const auto files = listing();
  for (const std::string& definition :
       {path("missing.json"), file_with("bad.json", "{\"fullName\": 3}")}) {
    const auto files_now = listing();
    const auto r = run_outbound("send --definition " + definition + " --store " + path("new.db") +
                                " --records 1");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(definition), std::string::npos) << r.output;
    EXPECT_EQ(listing(), files_now);
  }
}

TEST_F(send_command, records_without_a_definition_leave_the_store_unchanged) {
  const std::string db = queued_store(2);
  const std::string before = bytes_of(db);
  const auto r = run_outbound("send --store " + db + " --records 3");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(bytes_of(db), before);
}

// A workflow file with two outbound messages on Account, both sent to `endpoint`.
std::string two_message_workflow(const std::string& endpoint) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Workflow xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n";
  for (const std::string name : {"Notify_ERP", "Notify_CRM"})
    out += "<outboundMessages><fullName>" + name +
           "</fullName><apiVersion>59.0</apiVersion><endpointUrl>" + endpoint +
           "</endpointUrl><fields>Id</fields><fields>Name</fields>"
           "<includeSessionId>false</includeSessionId>"
           "<integrationUser>integration@example.com</integrationUser><name>" +
           name +
           "</name><protected>false</protected><useDeadLetterQueue>true</useDeadLetterQueue>"
           "</outboundMessages>\n";
  return out + "</Workflow>\n";
}

TEST_F(send_command, message_picks_one_of_several_outbound_messages) {
  const std::string workflow =
      file_with("Account.workflow-meta.xml", two_message_workflow(closed_endpoint()));
  const auto without = run_outbound("send --definition " + workflow + " --store " + path("a.db") +
                                    " --records 1 --for 0s");
  EXPECT_EQ(without.exit_code, 2) << without.output;
  EXPECT_NE(without.output.find("--message"), std::string::npos) << without.output;
  EXPECT_FALSE(fs::exists(path("a.db")));

  const auto with = run_outbound("send --definition " + workflow + " --message Notify_CRM" +
                                 " --store " + path("a.db") + " --records 2 --for 0s");
  EXPECT_EQ(with.exit_code, 1) << with.output;  // queued, not sent
  EXPECT_NE(with.output.find("queued 2,"), std::string::npos) << with.output;
  const auto defs = run_outbound("definitions --store " + path("a.db"));
  EXPECT_NE(defs.output.find("Notify_CRM"), std::string::npos) << defs.output;
  EXPECT_EQ(defs.output.find("Notify_ERP"), std::string::npos) << defs.output;
}

TEST_F(send_command, message_that_names_no_message_of_the_file_is_refused) {
  const std::string workflow =
      file_with("Account.workflow-meta.xml", two_message_workflow(closed_endpoint()));
  const auto r = run_outbound("send --definition " + workflow + " --message Nope --store " +
                              path("a.db") + " --records 1 --for 0s");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(fs::exists(path("a.db")));
}

}  // namespace
}  // namespace outbound::testing
