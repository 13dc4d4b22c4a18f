// Ctrl-C during a long command: `outbound run --clock real` and `outbound load` stop where they
// stand, write the report folder of what was done so far (saying it was interrupted), and exit
// 130; `outbound send` keeps what is left in its store (for a resume) and exits 130 too.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>

#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

TEST(run_interrupt, ctrl_c_writes_the_report_so_far_and_exits_130) {
  for (const int sig : {SIGINT, SIGTERM}) {
    temp_dir dir(sig == SIGINT ? "run_interrupt_int" : "run_interrupt_term");
    const fs::path out = dir.path() / "report";
    // A day-long story in real time: only the signal ends it within the test.
    child run({OUTBOUND_BINARY, "run",
               std::string(OUTBOUND_SOURCE_DIR) + "/scenarios/library/sap_downtime.json", "--clock",
               "real", "--out", out.string()},
              dir.path());
    std::this_thread::sleep_for(1500ms);
    ASSERT_TRUE(run.running()) << run.out() << run.err();
    run.kill(sig);
    EXPECT_EQ(run.wait_for(20s), 130) << run.out() << run.err();
    EXPECT_NE(run.err().find("run interrupted"), std::string::npos) << run.err();
    ASSERT_TRUE(fs::exists(out / "report.json")) << run.out() << run.err();
    const auto report = nlohmann::json::parse(read_text(out / "report.json"));
    ASSERT_TRUE(report.contains("warnings"));
    EXPECT_NE(report["warnings"].dump().find("interrupted"), std::string::npos)
        << report["warnings"];
    EXPECT_TRUE(fs::exists(out / "junit.xml"));
  }
}

TEST(load_interrupt, ctrl_c_writes_the_report_so_far_and_exits_130) {
  temp_dir dir("load_interrupt");
  child mock({OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0"}, dir.path());
  const std::string url = mock.wait_for_line("listening on ") + "/ack";
  const fs::path out = dir.path() / "report";
  child load({OUTBOUND_BINARY, "load", "--endpoint", url, "--rate", "100/s", "--duration", "1h",
              "--out", out.string()},
             dir.path());
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(load.running()) << load.err();
  load.kill(SIGINT);
  EXPECT_EQ(load.wait_for(20s), 130) << load.out() << load.err();
  EXPECT_NE(load.err().find("interrupted after"), std::string::npos) << load.err();
  ASSERT_TRUE(fs::exists(out / "report.json")) << load.err();
  const auto report = nlohmann::json::parse(read_text(out / "report.json"));
  EXPECT_GT(report["metrics"]["counters"]["messages_sent"].get<long long>(), 0) << report.dump();
  EXPECT_TRUE(fs::exists(out / "junit.xml"));
}

TEST(send_interrupt, ctrl_c_keeps_the_store_prints_the_summary_and_exits_130) {
  temp_dir dir("send_interrupt");
  // Nothing listens: every notification retries, and only the signal ends the hour.
  const std::string url = "http://127.0.0.1:" + free_port() + "/erp";
  const fs::path store = dir.path() / "store.db";
  child send({OUTBOUND_BINARY, "send", "--definition", definition_file(), "--endpoint", url,
              "--store", store.string(), "--records", "20", "--for", "1h"},
             dir.path());
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(send.running()) << send.out() << send.err();
  send.kill(SIGINT);
  EXPECT_EQ(send.wait_for(20s), 130) << send.out() << send.err();
  EXPECT_NE(send.out().find("(interrupted)"), std::string::npos) << send.out();
  EXPECT_NE(send.out().find("20 retrying"), std::string::npos) << send.out();
  EXPECT_TRUE(fs::exists(store));
}

}  // namespace
}  // namespace outbound::integration
