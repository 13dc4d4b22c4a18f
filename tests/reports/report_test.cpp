#include "reports/report.hpp"

#include <gtest/gtest.h>

#include "common/input_error.hpp"
#include "tests/reports/sample_report.hpp"

namespace outbound::reports {
namespace {

TEST(Report, PassedWhenEveryCheckPassed) {
  run_report r;
  EXPECT_TRUE(r.passed());
  r.checks.push_back({"a", true, "1", "1", ""});
  EXPECT_TRUE(r.passed());
  r.checks.push_back({"b", false, "2", "1", "too many"});
  EXPECT_FALSE(r.passed());
}

TEST(Report, PassedOnlyWhenEveryThresholdPassedAndEveryShardRanToTheEnd) {
  run_report r;
  r.thresholds.push_back({"p99<1s", true, "3ms", "< 1s", 3000, 1e6});
  EXPECT_TRUE(r.passed());
  r.shards.push_back({});
  r.shards.back().scheduled = r.shards.back().answered = 10;
  EXPECT_TRUE(r.passed());
  r.shards.back().answered = 9;  // interrupted
  EXPECT_FALSE(r.passed());
  r.shards.back().answered = 10;
  r.thresholds.push_back({"errors<=0", false, "1% (1 of 100 messages)", "<= 0%", 0.01, 0});
  EXPECT_FALSE(r.passed());
}

TEST(Report, StatusTotalCountsEveryState) {
  status_counts c{1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(c.total(), 28u);
}

TEST(Report, MergeAddsExactly) {
  const auto a = testing::make_sample_report(1, 300);
  const auto b = testing::make_sample_report(2, 300);
  const auto m = merge({a, b});
  const auto& c = m.metrics.totals();
  EXPECT_EQ(c.notifications_accepted,
            a.metrics.totals().notifications_accepted + b.metrics.totals().notifications_accepted);
  EXPECT_EQ(c.failures_by_class.at("refused"),
            a.metrics.totals().failures_by_class.at("refused") +
                b.metrics.totals().failures_by_class.at("refused"));
  auto latency = a.metrics.delivery_latency();
  latency.merge(b.metrics.delivery_latency());
  EXPECT_EQ(m.metrics.delivery_latency(), latency);
  ASSERT_EQ(m.metrics.series().size(), a.metrics.series().size());
  for (std::size_t i = 0; i < m.metrics.series().size(); ++i) {
    EXPECT_EQ(m.metrics.series().sent[i], a.metrics.series().sent[i] + b.metrics.series().sent[i]);
    EXPECT_EQ(m.metrics.series().queue_depth[i],
              a.metrics.series().queue_depth[i] + b.metrics.series().queue_depth[i]);
  }
  EXPECT_EQ(m.status.counts.total(), a.status.counts.total() + b.status.counts.total());
  EXPECT_EQ(m.status.rows.size(), a.status.rows.size() + b.status.rows.size());
  EXPECT_EQ(m.checks.size(), a.checks.size() + b.checks.size());
  EXPECT_EQ(m.faults, a.faults);  // the same schedule, shaded once
  EXPECT_EQ(m.ledger->duplicates, a.ledger->duplicates + b.ledger->duplicates);
  EXPECT_EQ(m.ledger->retries, a.ledger->retries + b.ledger->retries);
  EXPECT_EQ(m.markers, a.markers);  // the same schedule, marked once
  EXPECT_EQ(m.parameters["merged_from"], nlohmann::json::array({"sap_downtime", "sap_downtime"}));
}

TEST(Report, MergeKeepsSharedParametersAddsRatesAndListsTheRest) {
  run_report a, b;
  a.kind = b.kind = "load";
  a.name = "load-1";
  b.name = "load-2";
  a.parameters = {{"endpoint", "http://erp/"},
                  {"shard", "1/2"},
                  {"rate_per_second", 100.0},
                  {"achieved_rate_per_second", 99.5},
                  {"messages_scheduled", 6000}};
  b.parameters = {{"endpoint", "http://erp/"},  {"shard", "2/2"},
                  {"rate_per_second", 100.0},   {"achieved_rate_per_second", 98.0},
                  {"messages_scheduled", 6000}, {"extra", true}};
  const auto m = merge({a, b});
  EXPECT_EQ(m.parameters["endpoint"], "http://erp/");
  EXPECT_EQ(m.parameters["shard"], nlohmann::json::array({"1/2", "2/2"}));
  EXPECT_DOUBLE_EQ(m.parameters["rate_per_second"].get<double>(), 200.0);
  EXPECT_DOUBLE_EQ(m.parameters["achieved_rate_per_second"].get<double>(), 197.5);
  EXPECT_EQ(m.parameters["messages_scheduled"], 12000);
  EXPECT_EQ(m.parameters["extra"], nlohmann::json::array({nullptr, true}));
  EXPECT_EQ(m.parameters["merged_from"], nlohmann::json::array({"load-1", "load-2"}));
}

TEST(Report, MergeSpansTheTimesOfAllShards) {
  auto a = testing::make_sample_report(1, 60);
  auto b = a;
  b.simulated_start += std::chrono::minutes(1);
  b.simulated_end += std::chrono::minutes(1);
  b.finished += std::chrono::seconds(5);
  const auto m = merge({a, b});
  EXPECT_EQ(m.simulated_start, a.simulated_start);
  EXPECT_EQ(m.simulated_end, b.simulated_end);
  EXPECT_EQ(m.finished, b.finished);
  EXPECT_EQ(m.started, a.started);
}

TEST(Report, MergeOfOneIsItself) {
  const auto a = testing::make_sample_report(4, 60);
  EXPECT_EQ(merge({a}), a);
}

// Shard K of N of one load test, its parameters as `outbound load` writes them.
run_report load_shard_report(std::uint64_t k, std::uint64_t n, std::uint64_t answered = 100) {
  run_report r;
  r.kind = "load";
  r.name = "load";
  r.clock = "real";
  r.parameters = {{"shard", std::to_string(k) + "/" + std::to_string(n)},
                  {"rate_per_second", 100.0}};
  load_shard s;
  s.index = k;
  s.count = n;
  s.host = "pod-" + std::to_string(k);
  s.rate_per_second = 100;
  s.length = std::chrono::seconds(1);
  s.scheduled = s.sent = 100;
  s.answered = answered;
  r.shards = {s};
  return r;
}

TEST(Report, MergedLoadReportStatesItsShardsAndTheirParameters) {
  const auto m = merge({load_shard_report(1, 3), load_shard_report(2, 3), load_shard_report(3, 3)},
                       {"a/report.json", "b/report.json", "c/report.json"});
  ASSERT_EQ(m.shards.size(), 3u);
  for (std::uint64_t k = 1; k <= 3; ++k) {
    const auto& s = m.shards[k - 1];
    EXPECT_EQ(s.index, k);
    EXPECT_EQ(s.host, "pod-" + std::to_string(k));
    EXPECT_EQ(s.parameters["shard"], std::to_string(k) + "/3");
  }
  EXPECT_EQ(m.parameters["merged_from"],
            nlohmann::json::array({"a/report.json", "b/report.json", "c/report.json"}));
  ASSERT_EQ(m.checks.size(), 1u);
  EXPECT_EQ(m.checks[0].name, "every shard ran to the end");
  EXPECT_TRUE(m.checks[0].passed);
  EXPECT_EQ(m.checks[0].measured, "3 of 3");
  EXPECT_TRUE(m.passed());
  // Merging merged reports decides the check again instead of repeating it.
  const auto again = merge({m});
  EXPECT_EQ(again.checks, m.checks);
  EXPECT_EQ(again.shards, m.shards);
}

TEST(Report, MergedLoadReportFailsWithoutEveryShardOrWhenOneStoppedEarly) {
  auto m = merge({load_shard_report(1, 4), load_shard_report(3, 4)});
  ASSERT_EQ(m.checks.size(), 1u);
  EXPECT_FALSE(m.checks[0].passed);
  EXPECT_EQ(m.checks[0].measured, "2 of 4");
  EXPECT_EQ(m.checks[0].message, "2/4 missing; 4/4 missing");
  EXPECT_FALSE(m.passed());
  m = merge({load_shard_report(1, 2), load_shard_report(2, 2, 60)});
  EXPECT_FALSE(m.checks[0].passed);
  EXPECT_EQ(m.checks[0].message, "2/2 stopped after 60 of 100 messages");
  // Whole runs (1/1) may be merged side by side.
  EXPECT_TRUE(merge({load_shard_report(1, 1), load_shard_report(1, 1)}).passed());
}

TEST(Report, MergeRefusesShardsOfAnotherTestOrGivenTwice) {
  try {
    (void)merge({load_shard_report(1, 4), load_shard_report(2, 3)}, {"one.json", "two.json"});
    FAIL();
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), "two.json");
    EXPECT_EQ(e.path(), "/shards/0");
    EXPECT_NE(std::string(e.what()).find("K/4 (got 2/3)"), std::string::npos) << e.what();
  }
  try {
    (void)merge({load_shard_report(2, 4), load_shard_report(2, 4)}, {"one.json", "two.json"});
    FAIL();
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), "two.json");
    EXPECT_NE(std::string(e.what()).find("shard 2/4 is in one.json too"), std::string::npos)
        << e.what();
  }
}

TEST(Report, MergeRejectsNothingAndMixedKinds) {
  EXPECT_THROW((void)merge({}), input_error);
  run_report a, b;
  b.kind = "load";
  EXPECT_THROW((void)merge({a, b}), input_error);
  b.kind = "run";
  b.clock = "real";
  EXPECT_THROW((void)merge({a, b}), input_error);
}

}  // namespace
}  // namespace outbound::reports
