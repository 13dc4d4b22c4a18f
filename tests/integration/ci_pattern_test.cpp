// The README's CI pattern as a shell script (tests/integration/ci_pattern.sh) run against the
// real programs: `outbound mock-ctl` alone starts and ends the outage and waits for the
// notifications; the script fails when one is missing.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>

#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

// Runs the script in a scratch folder with `outbound` on the PATH; its exit code.
int run_pattern(const temp_dir& dir, const std::string& environment) {
  fs::create_directories(dir.path() / "bin");
  fs::create_symlink(OUTBOUND_BINARY, dir.path() / "bin" / "outbound");
  fs::create_directory_symlink(std::string(OUTBOUND_SOURCE_DIR) + "/examples",
                               dir.path() / "examples");
  const std::string command = "cd " + dir.path().string() + " && PATH=" + (dir / "bin") +
                              ":$PATH " + environment + " sh " + OUTBOUND_SOURCE_DIR +
                              "/tests/integration/ci_pattern.sh > script.out 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST(ci_pattern, every_notification_arrives_after_the_outage) {
  temp_dir dir("ci_pattern");
  EXPECT_EQ(run_pattern(dir, "RECORDS=20"), 0)
      << read_text(dir / "script.out") << read_text(dir / "mock.log");
  const std::string log = read_text(dir / "mock.log");
  EXPECT_NE(log.find("fault window opened: outage: refuse"), std::string::npos) << log;
  EXPECT_NE(log.find("fault window closed: outage: refuse"), std::string::npos) << log;
  const std::string out = read_text(dir / "script.out");
  EXPECT_NE(out.find("unique_notifications 20 of 20"), std::string::npos) << out;
  EXPECT_NE(out.find("every one holds its newest values"), std::string::npos) << out;
  EXPECT_NE(out.find("exported 20 notifications to ledger.ndjson"), std::string::npos) << out;
  const std::string ledger = read_text(dir / "ledger.ndjson");
  EXPECT_EQ(std::count(ledger.begin(), ledger.end(), '\n'), 20);
}

TEST(ci_pattern, fails_when_a_notification_is_missing) {
  temp_dir dir("ci_pattern_missing");
  EXPECT_NE(run_pattern(dir, "RECORDS=20 EXPECT=21 WAIT_TIMEOUT=3s"), 0)
      << read_text(dir / "script.out");
  const std::string out = read_text(dir / "script.out");
  EXPECT_NE(out.find("timed out after 3s: unique_notifications"), std::string::npos) << out;
  EXPECT_NE(out.find(" of 21"), std::string::npos) << out;
}

}  // namespace
}  // namespace outbound::integration
