// `outbound mock-ctl` steps beyond outages, against the real programs: following the events
// during an outage started through the admin API, exporting the ledger, verifying a sender's
// store against what the mock holds, and replaying a recorded request to a second mock.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

using nlohmann::json;

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    lines.push_back(json::parse(line, nullptr, false));
    EXPECT_FALSE(lines.back().is_discarded()) << line;
  }
  return lines;
}

// `outbound mock-ctl --admin ADMIN ARGS...`, run to its end.
struct ctl_result {
  int code;
  std::string out, err;
};
ctl_result ctl(const temp_dir& dir, const std::string& admin, std::vector<std::string> args) {
  std::vector<std::string> all{OUTBOUND_BINARY, "mock-ctl", "--admin", admin};
  all.insert(all.end(), args.begin(), args.end());
  child c(all, dir.path());
  const int code = c.wait();
  return {code, c.out(), c.err()};
}

// A mock on loopback, its main URL and admin URL.
struct running_mock {
  running_mock(const temp_dir& dir, std::vector<std::string> extra = {})
      : process(
            [&] {
              std::vector<std::string> args{OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0"};
              args.insert(args.end(), extra.begin(), extra.end());
              return args;
            }(),
            dir.path()),
        url(process.wait_for_line("listening on ")),
        admin(process.wait_for_line("admin on ")) {}
  child process;
  std::string url, admin;
};

// `outbound send` of `records` Accounts and as many updates into dir/store.db, to the end.
int send_to(const temp_dir& dir, const std::string& url, int records) {
  child send({OUTBOUND_BINARY, "send", "--definition", definition_file(), "--endpoint",
              url + "/ack", "--store", dir / "store.db", "--records", std::to_string(records),
              "--updates", std::to_string(records), "--retry", "fixed:200ms"},
             dir.path());
  const int code = send.wait_for(60000ms);
  EXPECT_EQ(code, 0) << send.out() << send.err();
  return code;
}

TEST(mock_ctl, events_show_an_outage_started_through_the_api_as_it_happens) {
  temp_dir dir("ctl_events");
  running_mock mock(dir);
  ASSERT_FALSE(mock.admin.empty());
  const auto started =
      ctl(dir, mock.admin, {"outage", "start", "http_status", "--set", "status=503"});
  ASSERT_EQ(started.code, 0) << started.err;
  child send(
      {OUTBOUND_BINARY, "send", "--definition", definition_file(), "--endpoint", mock.url + "/ack",
       "--store", dir / "store.db", "--records", "3", "--retry", "fixed:200ms"},
      dir.path());

  // During the outage: the window opening, then the sender's attempts, each a 503.
  const auto during = ctl(dir, mock.admin, {"events", "--count", "3", "--timeout", "30s"});
  ASSERT_EQ(during.code, 0) << during.err;
  const auto events = json_lines(during.out);
  ASSERT_EQ(events.size(), 3u) << during.out;
  EXPECT_EQ(events[0]["id"], 1);
  EXPECT_EQ(events[0]["event"], "fault_window_opened");
  EXPECT_EQ(events[0]["window"], "outage: http_status");
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(events[i]["event"], "request") << events[i];
    EXPECT_EQ(events[i]["answer"], "faulted") << events[i];
    EXPECT_EQ(events[i]["status"], 503);
    EXPECT_EQ(events[i]["faults"], json::array({"http_status"}));
    EXPECT_EQ(events[i]["notifications"], 3);
    EXPECT_EQ(events[i]["method"], "POST");
  }
  EXPECT_TRUE(send.running());

  // A follower started now sees the rest as it comes, and ends when the mock stops.
  child follower({OUTBOUND_BINARY, "mock-ctl", "--admin", mock.admin, "events", "--after", "3"},
                 dir.path());
  child waiting({OUTBOUND_BINARY, "mock-ctl", "--admin", mock.admin, "events", "--count", "1000"},
                dir.path());
  ASSERT_EQ(ctl(dir, mock.admin, {"outage", "end"}).code, 0);
  ASSERT_EQ(send.wait_for(60000ms), 0) << send.err();
  for (int i = 0; i < 2000 && follower.out().find("\"acked\"") == std::string::npos; ++i)
    std::this_thread::sleep_for(10ms);
  mock.process.kill(SIGTERM);
  ASSERT_EQ(mock.process.wait(), 0);
  EXPECT_EQ(follower.wait_for(20000ms), 0) << follower.err();
  const auto rest = json_lines(follower.out());
  ASSERT_GE(rest.size(), 3u) << follower.out();
  EXPECT_GE(rest[0]["id"].get<int>(), 4);  // resumed after 3
  bool closed = false, acked = false;
  for (const auto& e : rest) {
    closed = closed || e["event"] == "fault_window_closed";
    acked = acked || e.value("answer", "") == "acked";
  }
  EXPECT_TRUE(closed && acked) << follower.out();
  EXPECT_EQ(rest.back()["event"], "mock_stopped");
  // A follower that wanted more than came exits 1 and says so.
  EXPECT_EQ(waiting.wait_for(20000ms), 1);
  EXPECT_NE(waiting.err().find("the mock stopped after"), std::string::npos) << waiting.err();
}

TEST(mock_ctl, the_ledger_exports_as_json_lines_to_a_file_whole_or_not_at_all) {
  temp_dir dir("ctl_export");
  running_mock mock(dir, {"--definition", definition_file()});
  ASSERT_EQ(send_to(dir, mock.url, 4), 0);
  const auto exported =
      ctl(dir, mock.admin, {"ledger", "--export", "--out", dir / "out/ledger.ndjson"});
  ASSERT_EQ(exported.code, 0) << exported.err;
  EXPECT_NE(exported.err.find("exported 8 notifications"), std::string::npos) << exported.err;
  const auto lines = json_lines(read_text(dir / "out/ledger.ndjson"));
  ASSERT_EQ(lines.size(), 8u);  // 4 creations, 4 updates
  for (const auto& l : lines) {
    EXPECT_EQ(l["object"], "Account");
    EXPECT_EQ(l["definition"], "Notify_ERP") << l;
    EXPECT_EQ(l["acked"], true);
    EXPECT_EQ(l["times_seen"], 1);
    EXPECT_EQ(l["last_answer"], "ack");
    EXPECT_EQ(l["id"].get<std::string>().substr(0, 3), "04l");
    EXPECT_EQ(l["record_id"].get<std::string>().substr(0, 3), "001");
  }
  // To stdout, the same lines.
  const auto to_stdout = ctl(dir, mock.admin, {"ledger", "--export"});
  EXPECT_EQ(to_stdout.code, 0);
  EXPECT_EQ(to_stdout.out, read_text(dir / "out/ledger.ndjson"));

  // Refused before anything is created: --out without --export, --out naming a folder.
  EXPECT_EQ(ctl(dir, mock.admin, {"ledger", "--out", dir / "counters.json"}).code, 2);
  EXPECT_FALSE(fs::exists(dir / "counters.json"));
  const auto folder = ctl(dir, mock.admin, {"ledger", "--export", "--out", dir / "out"});
  EXPECT_EQ(folder.code, 2);
  EXPECT_NE(folder.err.find("--out"), std::string::npos) << folder.err;
  // A mock that is not there: exit 1, no file.
  const auto gone = ctl(dir, "http://127.0.0.1:" + free_port(),
                        {"ledger", "--export", "--out", dir / "none.ndjson"});
  EXPECT_EQ(gone.code, 1);
  EXPECT_FALSE(fs::exists(dir / "none.ndjson"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "out"), fs::directory_iterator()), 1);
}

// Runs `statement` on the store with the SQLite API, as a change the mock never heard of.
void change_store(const std::string& file, const std::string& statement) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &err), SQLITE_OK)
      << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(mock_ctl, verify_compares_the_stores_newest_values_with_what_the_mock_holds) {
  temp_dir dir("ctl_verify");
  running_mock mock(dir);
  ASSERT_EQ(send_to(dir, mock.url, 5), 0);
  const auto good = ctl(dir, mock.admin, {"verify", "--store", dir / "store.db"});
  EXPECT_EQ(good.code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("5 records of"), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("every one holds its newest values"), std::string::npos) << good.out;
  EXPECT_EQ(
      ctl(dir, mock.admin, {"verify", "--store", dir / "store.db", "--definition", "Notify_ERP"})
          .code,
      0);

  // A record changed in the org whose change never reached the listener.
  const std::string record = "0015g0000000002AAA";
  change_store(dir / "store.db",
               "UPDATE records SET fields = json_set(fields, '$.Name', "
               "'Renamed') WHERE id = '" +
                   record + "'");
  const auto differ = ctl(dir, mock.admin, {"verify", "--store", dir / "store.db"});
  EXPECT_EQ(differ.code, 1);
  EXPECT_NE(differ.out.find(record + ": Name is \""), std::string::npos) << differ.out;
  EXPECT_NE(differ.out.find("\"Renamed\" in the store"), std::string::npos) << differ.out;
  EXPECT_NE(differ.out.find("1 do not hold their newest values"), std::string::npos) << differ.out;

  // A mock that forgot everything: every record is missing.
  ASSERT_EQ(ctl(dir, mock.admin, {"reset"}).code, 0);
  const auto forgotten = ctl(dir, mock.admin, {"verify", "--store", dir / "store.db"});
  EXPECT_EQ(forgotten.code, 1);
  EXPECT_NE(forgotten.out.find("never arrived at the mock"), std::string::npos) << forgotten.out;

  // Bad input, exit 2 before the mock is asked, the store untouched.
  const std::string before = read_text(dir / "store.db");
  const auto unknown =
      ctl(dir, mock.admin, {"verify", "--store", dir / "store.db", "--definition", "Nope"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("--definition: Nope"), std::string::npos) << unknown.err;
  EXPECT_EQ(read_text(dir / "store.db"), before);
  EXPECT_EQ(ctl(dir, mock.admin, {"verify", "--store", dir / "missing.db"}).code, 2);
  EXPECT_FALSE(fs::exists(dir / "missing.db"));
  change_store(dir / "other.db", "CREATE TABLE users(name TEXT)");
  const std::string other = read_text(dir / "other.db");
  const auto foreign = ctl(dir, mock.admin, {"verify", "--store", dir / "other.db"});
  EXPECT_EQ(foreign.code, 2);
  EXPECT_NE(foreign.err.find("another application"), std::string::npos) << foreign.err;
  EXPECT_EQ(read_text(dir / "other.db"), other);
}

TEST(mock_ctl, replay_posts_a_recorded_request_byte_for_byte_to_another_listener) {
  temp_dir dir("ctl_replay");
  running_mock first(dir);
  ASSERT_EQ(send_to(dir, first.url, 2), 0);
  const json requests = json::parse(http_get(first.admin, "/__admin/requests?limit=1"));
  const std::string number = std::to_string(requests["requests"][0]["number"].get<int>());
  const std::string sent = http_get(first.admin, "/__admin/requests/" + number + "/body");
  ASSERT_NE(sent.find("<notifications"), std::string::npos) << sent;

  std::ofstream(dir / "once_503.json")
      << R"({"faults": [{"kind": "http_status", "status": 503, "first": 1}]})";
  running_mock second(dir, {"--faults", dir / "once_503.json"});
  const auto refused = ctl(dir, first.admin, {"replay", number, "--to", second.url + "/erp"});
  EXPECT_EQ(refused.code, 1) << refused.err;
  EXPECT_NE(refused.out.find("not acked: (503)Service Unavailable [http_status]"),
            std::string::npos)
      << refused.out;
  const auto acked = ctl(dir, first.admin, {"replay", number, "--to", second.url + "/erp"});
  EXPECT_EQ(acked.code, 0) << acked.out << acked.err;
  EXPECT_NE(acked.out.find("request " + number + " ("), std::string::npos) << acked.out;
  EXPECT_NE(acked.out.find("acked (HTTP 200)"), std::string::npos) << acked.out;
  // The second mock got exactly those bytes, at the path asked, with Salesforce's headers.
  EXPECT_EQ(http_get(second.admin, "/__admin/requests/2/body"), sent);
  const json got = json::parse(http_get(second.admin, "/__admin/requests/2"));
  EXPECT_EQ(got["target"], "/erp");
  EXPECT_EQ(got["outcome"], "ack");

  // Bad input is exit 2; a listener that is not there is a failed delivery, exit 1.
  EXPECT_EQ(ctl(dir, first.admin, {"replay", "0", "--to", second.url}).code, 2);
  const auto unknown = ctl(dir, first.admin, {"replay", "999", "--to", second.url});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("999"), std::string::npos) << unknown.err;
  const auto bad_url = ctl(dir, first.admin, {"replay", number, "--to", "ftp://x/"});
  EXPECT_EQ(bad_url.code, 2);
  EXPECT_NE(bad_url.err.find("--to"), std::string::npos) << bad_url.err;
  const auto nobody =
      ctl(dir, first.admin, {"replay", number, "--to", "http://127.0.0.1:" + free_port() + "/"});
  EXPECT_EQ(nobody.code, 1);
  EXPECT_NE(nobody.out.find("Connection refused"), std::string::npos) << nobody.out;
}

}  // namespace
}  // namespace outbound::integration
