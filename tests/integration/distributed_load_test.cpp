// The distributed recipe of docs/distributed.md, played locally by
// tests/integration/distributed_load.sh: 4 processes of `outbound load --shard K/4 --start-at`
// against one `outbound mock`, then `outbound report merge --threshold`, whose thresholds decide
// the exit code. The merged report states its shards, which started together, shared the rate
// and never sent the same notification; its latency histogram is the sum of theirs, exactly.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <set>

#include "reports/report.hpp"
#include "reports/threshold.hpp"
#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

// Runs the script in `dir` with `outbound` on the PATH and `arguments` for the merge.
int run_recipe(const temp_dir& dir, const std::string& arguments) {
  fs::create_directories(dir.path() / "bin");
  fs::create_symlink(OUTBOUND_BINARY, dir.path() / "bin" / "outbound");
  const std::string command = "cd " + dir.path().string() + " && PATH=" + (dir / "bin") +
                              ":$PATH sh " + OUTBOUND_SOURCE_DIR +
                              "/tests/integration/distributed_load.sh " + arguments +
                              " > script.out 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int merge_again(const temp_dir& dir, const std::string& arguments) {
  const std::string command = "cd " + dir.path().string() + " && " + OUTBOUND_BINARY +
                              " report merge shard*/report.json " + arguments + " > again.out 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST(distributed_load, four_shards_from_one_start_merge_and_their_thresholds_decide) {
  temp_dir dir("distributed_load");
  // Limits no loopback run can miss, so that the test never depends on the machine's speed.
  ASSERT_EQ(run_recipe(dir,
                       "--threshold 'p99<1m' --threshold 'errors<=0' "
                       "--threshold 'achieved_rate>=1/s'"),
            0)
      << read_text(dir / "script.out") << read_text(dir / "shard1.log")
      << read_text(dir / "mock.log");

  const auto merged = reports::read_report(dir / "merged/report.json");
  ASSERT_EQ(merged.shards.size(), 4u);
  std::set<std::uint64_t> indices;
  for (const auto& s : merged.shards) {
    indices.insert(s.index);
    EXPECT_EQ(s.count, 4u);
    EXPECT_TRUE(s.ran_to_the_end());
    EXPECT_EQ(s.scheduled, 100u);                      // 400/s for 1 s, a quarter each
    EXPECT_DOUBLE_EQ(s.rate_per_second, 100);          // its share of the rate
    EXPECT_EQ(s.start_at, merged.shards[0].start_at);  // one common start...
    EXPECT_EQ(s.start, *s.start_at);                   // ...where each began its schedule
    EXPECT_EQ(s.seed, merged.shards[0].seed);          // one seed, derived from it
    EXPECT_FALSE(s.parameters.empty());
  }
  EXPECT_EQ(indices.size(), 4u);
  EXPECT_EQ(merged.metrics.totals().messages_acked, 400u);
  ASSERT_EQ(merged.thresholds.size(), 3u);
  for (const auto& t : merged.thresholds) EXPECT_TRUE(t.passed) << t.threshold << t.measured;
  ASSERT_EQ(merged.checks.size(), 1u);
  EXPECT_TRUE(merged.checks[0].passed) << merged.checks[0].message;

  // The shard and merged reports match docs/report.schema.json (python3-jsonschema).
  const std::string validate =
      "python3 -c 'import sys, json, jsonschema; s = json.load(open(sys.argv[1])); "
      "[jsonschema.validate(json.load(open(f)), s) for f in sys.argv[2:]]' " +
      std::string(OUTBOUND_SOURCE_DIR) + "/docs/report.schema.json " +
      (dir / "merged/report.json") + " " + (dir / "shard1/report.json") + " > " +
      (dir / "schema.out") + " 2>&1";
  EXPECT_EQ(std::system(validate.c_str()), 0) << read_text(dir / "schema.out");

  // The mock got every notification once: the shards' ids never collided.
  const auto ledger = nlohmann::json::parse(read_text(dir / "ledger.json"));
  EXPECT_EQ(ledger["unique_notifications"], 400) << ledger.dump();
  EXPECT_EQ(ledger["duplicates"], 0);

  // The merged latency histogram is the shards' added up, so its p99 is that of all requests.
  reports::histogram all;
  for (int k = 1; k <= 4; ++k)
    all.merge(reports::read_report(dir / ("shard" + std::to_string(k) + "/report.json"))
                  .metrics.response_time());
  EXPECT_EQ(merged.metrics.response_time(), all);
  EXPECT_EQ(merged.thresholds[0].measured_value, static_cast<double>(all.percentile(99)));

  // The same shards against a limit no run can meet: the merge exits 1 and names it.
  EXPECT_EQ(merge_again(dir, "--out again --threshold 'p99<1us' --threshold 'errors<=0'"), 1);
  const auto out = read_text(dir / "again.out");
  EXPECT_NE(out.find("threshold p99<1us failed: measured "), std::string::npos) << out;
  EXPECT_NE(out.find("limit < 1us"), std::string::npos) << out;
  const auto junit = read_text(dir / "again/junit.xml");
  EXPECT_NE(junit.find("tests=\"3\""), std::string::npos) << junit;  // 2 thresholds + the shards
  EXPECT_NE(junit.find("name=\"p99&lt;1us\""), std::string::npos) << junit;

  // Without one shard the merged test is incomplete: exit 1, naming the missing shard.
  fs::remove_all(dir.path() / "shard3");
  EXPECT_EQ(merge_again(dir, "--out partial --threshold 'p99<1m'"), 1);
  EXPECT_NE(read_text(dir / "again.out").find("3/4 missing"), std::string::npos)
      << read_text(dir / "again.out");
}

}  // namespace
}  // namespace outbound::integration
