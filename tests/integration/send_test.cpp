// `outbound send` against `outbound mock`, both as child processes over loopback: thousands of
// notifications all reach the mock's ledger; an outage shows as retrying with Salesforce's reason
// in `outbound status` and drains once the mock is up.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sender/sqlite_store.hpp"
#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

using nlohmann::json;

json ledger_of(const std::string& mock_url) {
  std::string body = http_get(mock_url, "/__admin/ledger");
  return body.empty() ? json::object() : json::parse(body);
}

TEST(send_integration, delivers_thousands_and_the_mock_saw_every_one) {
  temp_dir dir("send_thousands");
  child mock({OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0"}, dir.path());
  const std::string url = mock.wait_for_line("listening on ");
  ASSERT_FALSE(url.empty());

  child send({OUTBOUND_BINARY, "send",
              "--definition",  definition_file(),
              "--endpoint",    url + "/sap/ack",
              "--store",       dir / "store.db",
              "--records",     "3000",
              "--updates",     "600",
              "--deletes",     "150",
              "--batch",       "50",
              "--connections", "4",
              "--seed",        "7"},
             dir.path());
  ASSERT_EQ(send.wait_for(60000ms), 0) << send.out() << send.err();
  const std::size_t expected = 3000 + 600 + 150;
  EXPECT_NE(send.out().find("queued 3750, delivered 3750"), std::string::npos) << send.out();

  json ledger = ledger_of(url);
  EXPECT_EQ(ledger.value("unique_notifications", 0u), expected) << ledger.dump();
  EXPECT_EQ(ledger.value("acked_notifications", 0u), expected) << ledger.dump();
  EXPECT_EQ(ledger.value("rejected", 0u), 0u) << ledger.dump();

  sender::sqlite_store store(dir / "store.db", sender::sqlite_store::open_mode::existing);
  auto counts = store.counts();
  EXPECT_EQ(counts[sender::state::delivered], expected);
  EXPECT_EQ(counts.total(), expected);
}

TEST(send_integration, outage_shows_retrying_then_drains_after_retry) {
  temp_dir dir("send_outage");
  const std::string port = free_port();
  const std::string url = "http://127.0.0.1:" + port;
  child send(
      {OUTBOUND_BINARY, "send", "--definition", definition_file(), "--endpoint", url + "/ack",
       "--store", dir / "store.db", "--records", "20", "--batch", "10", "--retry", "fixed:1h"},
      dir.path());

  // The status page while nothing listens: retrying, with Java's connection-refused text.
  json status;
  for (int i = 0; i < 500; ++i) {
    child look({OUTBOUND_BINARY, "status", "--store", dir / "store.db", "--json"}, dir.path());
    if (look.wait() == 0) {
      status = json::parse(look.out(), nullptr, false);
      if (!status.is_discarded() && status["summary"].value("retrying", 0) == 20) break;
    }
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(status["summary"].value("retrying", 0), 20) << status.dump();
  ASSERT_FALSE(status["items"].empty());
  EXPECT_EQ(status["items"][0].value("reason", ""),
            "java.net.ConnectException: Connection refused (Connection refused)");
  EXPECT_TRUE(send.running());

  child mock({OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:" + port}, dir.path());
  ASSERT_EQ(mock.wait_for_line("listening on "), url);
  // The next attempts are an hour away: the status page's Retry sends them now.
  for (const auto& item : status["items"]) {
    child retry({OUTBOUND_BINARY, "retry", "--store", dir / "store.db", item.value("id", "")},
                dir.path());
    EXPECT_EQ(retry.wait(), 0) << retry.out() << retry.err();
  }

  ASSERT_EQ(send.wait_for(60000ms), 0) << send.out() << send.err();
  json ledger = ledger_of(url);
  EXPECT_EQ(ledger.value("unique_notifications", 0u), 20u) << ledger.dump();
}

TEST(send_integration, bad_endpoint_is_exit_2_naming_the_option) {
  temp_dir dir("send_bad");
  child send({OUTBOUND_BINARY, "send", "--definition", definition_file(), "--endpoint",
              "ftp://127.0.0.1/x", "--store", dir / "store.db", "--records", "1"},
             dir.path());
  EXPECT_EQ(send.wait(), 2);
  EXPECT_NE(send.err().find("--endpoint"), std::string::npos) << send.err();
}

TEST(send_integration, resuming_a_missing_store_is_exit_2) {
  temp_dir dir("send_missing");
  child send({OUTBOUND_BINARY, "send", "--store", dir / "nothing.db"}, dir.path());
  EXPECT_EQ(send.wait(), 2) << send.err();
}

}  // namespace
}  // namespace outbound::integration
