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
