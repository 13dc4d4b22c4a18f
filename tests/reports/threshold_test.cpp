// Thresholds: the grammar (every metric, every operator, every way to get it wrong), evaluation
// against a load report, and the distributed case: thresholds on a merge of 4 shards measure
// exactly what one run holding all the requests measures.
#include "reports/threshold.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "common/input_error.hpp"
#include "common/random.hpp"
#include "tests/reports/sample_load_report.hpp"

namespace outbound::reports {
namespace {

using namespace std::chrono_literals;
using testing::start;

TEST(parse_threshold, reads_every_metric) {
  auto t = parse_threshold("p99<300ms");
  EXPECT_EQ(t.metric, threshold_metric::latency);
  EXPECT_EQ(t.statistic, threshold_statistic::percentile);
  EXPECT_EQ(t.percentile, 99);
  EXPECT_EQ(t.op, comparison::less);
  EXPECT_EQ(t.limit, 300'000);

  t = parse_threshold("  p99.9 <= 1.5s ");
  EXPECT_EQ(t.text, "p99.9 <= 1.5s");
  EXPECT_EQ(t.percentile, 99.9);
  EXPECT_EQ(t.op, comparison::less_or_equal);
  EXPECT_EQ(t.limit, 1'500'000);

  t = parse_threshold("service_mean<80ms");
  EXPECT_EQ(t.metric, threshold_metric::service_time);
  EXPECT_EQ(t.statistic, threshold_statistic::mean);
  EXPECT_EQ(parse_threshold("service_p50<1s").percentile, 50);
  EXPECT_EQ(parse_threshold("max>1us").statistic, threshold_statistic::max);
  EXPECT_EQ(parse_threshold("max>1us").op, comparison::greater);

  t = parse_threshold("errors<0.1%");
  EXPECT_EQ(t.metric, threshold_metric::errors);
  EXPECT_DOUBLE_EQ(t.limit, 0.001);
  EXPECT_DOUBLE_EQ(parse_threshold("errors<=0.001").limit, 0.001);
  EXPECT_DOUBLE_EQ(parse_threshold("errors<=0").limit, 0);

  t = parse_threshold("achieved_rate>=0.97*rate");
  EXPECT_EQ(t.metric, threshold_metric::achieved_rate);
  EXPECT_EQ(t.op, comparison::greater_or_equal);
  EXPECT_TRUE(t.times_rate);
  EXPECT_DOUBLE_EQ(t.limit, 0.97);
  EXPECT_TRUE(parse_threshold("achieved_rate>=rate").times_rate);
  t = parse_threshold("achieved_rate>=114000/m");
  EXPECT_FALSE(t.times_rate);
  EXPECT_DOUBLE_EQ(t.limit, 1900);
}

// Each refusal names the threshold as written and says what was expected there.
TEST(parse_threshold, refuses_anything_else_naming_it_and_what_was_expected) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"p99", "then <, <=, > or >="},
      {"", "METRIC OP LIMIT"},
      {"p99<300", "a duration such as 300ms"},
      {"p99<", "a duration"},
      {"p99<<300ms", "a duration"},
      {"p99=300ms", "then <, <=, > or >="},
      {"p99=<300ms", "got \"p99=\""},
      {"p100<1s", "0 < N < 100"},
      {"p0<1s", "got \"p0\""},
      {"p-1<1s", "got \"p-1\""},
      {"p1e2<1s", "got \"p1e2\""},
      {"pinf<1s", "got \"pinf\""},
      {"p99.<1s", "got \"p99.\""},
      {"latency<1s", "got \"latency\""},
      {"service_<1s", "got \"service_\""},
      {"service_errors<1%", "got \"service_errors\""},
      {"errors<2", "a fraction of the answered messages from 0 to 1"},
      {"errors<101%", "or a percentage"},
      {"errors<-1%", "or a percentage"},
      {"errors<1e-3", "got \"1e-3\""},
      {"errors<0.1 %", "got \"0.1 %\""},
      {"achieved_rate>=fast", "a rate such as 1900/s"},
      {"achieved_rate>=0*rate", "a multiple of the requested rate"},
      {"achieved_rate>=-1*rate", "a multiple of the requested rate"},
      {"achieved_rate>=0.97*speed", "got \"0.97*speed\""},
      {"achieved_rate>=5/fortnight", "got \"5/fortnight\""},
  };
  for (const auto& [text, expected] : bad) {
    try {
      (void)parse_threshold(text);
      ADD_FAILURE() << text << " was accepted";
    } catch (const input_error& e) {
      const std::string what = e.what();
      EXPECT_EQ(e.file(), "--threshold \"" + text + "\"") << text;
      EXPECT_NE(what.find(expected), std::string::npos) << text << ": " << what;
    }
  }
}

TEST(parse_threshold, names_the_file_and_field_it_was_read_from) {
  try {
    (void)parse_threshold("p99<soon", "shard1/report.json", "/thresholds/0/threshold");
    FAIL();
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), "shard1/report.json");
    EXPECT_EQ(e.path(), "/thresholds/0/threshold");
  }
}

threshold_result measure(const std::string& text, const run_report& r) {
  return evaluate(parse_threshold(text), r);
}

TEST(evaluate, measures_latency_service_time_errors_and_the_achieved_rate) {
  std::vector<std::int64_t> latency;
  for (int i = 1; i <= 1000; ++i) latency.push_back(i * 100);  // 100us .. 100ms
  const auto r = testing::load_report_of(latency, 1, 1, 1000, true);

  auto t = measure("p99<100ms", r);
  EXPECT_TRUE(t.passed);
  EXPECT_NEAR(*t.measured_value, 99'000, 99'000 * 0.004);
  EXPECT_EQ(t.limit, "< 100ms");
  EXPECT_EQ(t.threshold, "p99<100ms");
  EXPECT_FALSE(measure("p99<90ms", r).passed);
  EXPECT_EQ(*measure("max<=100ms", r).measured_value, 100'000);
  EXPECT_TRUE(measure("max<=100ms", r).passed);
  EXPECT_FALSE(measure("max<100ms", r).passed);
  EXPECT_DOUBLE_EQ(*measure("mean<1s", r).measured_value, 50'050);
  EXPECT_EQ(*measure("service_max<1s", r).measured_value, 50'000);
  EXPECT_FALSE(measure("service_p50>1s", r).passed);

  t = measure("errors<10%", r);  // 100 of 1000 failed: exactly 10%
  EXPECT_FALSE(t.passed);
  EXPECT_DOUBLE_EQ(*t.measured_value, 0.1);
  EXPECT_EQ(t.measured, "10% (100 of 1000 messages)");
  EXPECT_EQ(t.limit, "< 10%");
  EXPECT_TRUE(measure("errors<=0.1", r).passed);
  EXPECT_FALSE(measure("errors<=0", r).passed);

  t = measure("achieved_rate>=0.97*rate", r);  // 1000 answers in 1 s of 1000/s
  EXPECT_TRUE(t.passed);
  EXPECT_DOUBLE_EQ(*t.measured_value, 1000);
  EXPECT_DOUBLE_EQ(t.limit_value, 970);
  EXPECT_EQ(t.limit, ">= 970/s (0.97 x 1000/s requested)");
  EXPECT_FALSE(measure("achieved_rate>1000/s", r).passed);
  EXPECT_TRUE(measure("achieved_rate>=60000/m", r).passed);
}

TEST(evaluate, fails_when_nothing_was_measured) {
  const auto r = testing::load_report_of({});
  for (const auto* text : {"p99<1s", "service_max<1h", "errors<=1", "mean>=0s"}) {
    const auto t = measure(text, r);
    EXPECT_FALSE(t.passed) << text;
    EXPECT_FALSE(t.measured_value) << text;
  }
  EXPECT_EQ(measure("p99<1s", r).measured, "no samples");
  EXPECT_EQ(measure("errors<=1", r).measured, "no answers");
  // No shards (a report from before them): the requested rate is unknown.
  auto old = testing::load_report_of({100});
  old.shards.clear();
  EXPECT_FALSE(measure("achieved_rate>=0.5*rate", old).passed);
  EXPECT_TRUE(measure("achieved_rate>=1/s", old).passed);
}

TEST(evaluate, a_failed_threshold_fails_the_report_and_survives_report_json) {
  auto r = testing::load_report_of({1000, 2000, 3000});
  EXPECT_TRUE(r.passed());
  r.thresholds = evaluate_thresholds({parse_threshold("p99<1ms"), parse_threshold("max<1s")}, r);
  EXPECT_FALSE(r.thresholds[0].passed);
  EXPECT_TRUE(r.thresholds[1].passed);
  EXPECT_FALSE(r.passed());
  const auto j = to_json(r);
  EXPECT_EQ(j["passed"], false);
  EXPECT_EQ(j["thresholds"][0]["threshold"], "p99<1ms");
  EXPECT_EQ(report_from_json(j, "report.json"), r);
  // A threshold that no longer parses is refused where it stands.
  auto broken = j;
  broken["thresholds"][1]["threshold"] = "p99 < soon";
  try {
    (void)report_from_json(broken, "report.json");
    FAIL();
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), "report.json");
    EXPECT_EQ(e.path(), "/thresholds/1/threshold");
  }
}

// The distributed case at the histogram level: the requests of one test split over 4 shards (each
// its own report, through report.json and back), merged, give exactly the histogram of one run
// holding them all, so every threshold measures the same; and its p99 is within the histogram's
// precision (0.4%, 1% promised) of the exact p99 of the raw values.
TEST(evaluate, thresholds_on_merged_shards_equal_those_on_one_run_with_every_request) {
  random rng(7);
  std::vector<std::int64_t> all;
  for (int i = 0; i < 40'000; ++i)  // lognormal-ish: median ~2ms, a long tail
    all.push_back(static_cast<std::int64_t>(
        2000 * std::exp(1.2 * (rng.uniform() * 2 - 1) + (rng.chance(0.02) ? 3 : 0))));
  std::vector<std::vector<std::int64_t>> parts(4);
  for (std::size_t i = 0; i < all.size(); ++i) parts[i % 4].push_back(all[i]);
  std::vector<run_report> shards;
  for (std::uint64_t k = 1; k <= 4; ++k) {
    auto shard = testing::load_report_of(parts[k - 1], k, 4, 250);
    shard.thresholds = {measure("p99<1s", shard)};
    shards.push_back(report_from_json(to_json(shard), "shard.json"));
  }
  const auto merged = merge(shards);
  const auto whole = testing::load_report_of(all, 1, 1, 1000);
  EXPECT_EQ(merged.metrics.response_time(), whole.metrics.response_time());
  EXPECT_EQ(merged.metrics.service_time(), whole.metrics.service_time());
  for (const auto* text : {"p50<1s", "p90<1s", "p99<1s", "p99.9<1s", "max<1s", "mean<1s",
                           "service_p99<1s", "achieved_rate>=0.97*rate"})
    EXPECT_EQ(measure(text, merged).measured_value, measure(text, whole).measured_value) << text;

  auto sorted = all;
  std::sort(sorted.begin(), sorted.end());
  const auto exact_p99 = static_cast<double>(
      sorted[static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(sorted.size()))) - 1]);
  EXPECT_NEAR(*measure("p99<1s", merged).measured_value, exact_p99, exact_p99 * 0.004);
  // The shards' own threshold was evaluated again on the merged result.
  ASSERT_EQ(merged.thresholds.size(), 1u);
  EXPECT_EQ(merged.thresholds[0], measure("p99<1s", merged));
}

}  // namespace
}  // namespace outbound::reports
