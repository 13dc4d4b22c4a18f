#include "modes/load_report.hpp"

#include <gtest/gtest.h>

#include "modes/builtin_definition.hpp"
#include "reports/render.hpp"
#include "tests/modes/fake_transport.hpp"

namespace outbound::modes {
namespace {

using namespace std::chrono_literals;

const time_point start = *parse_timestamp("2026-01-05T09:00:00Z");

struct shard_run {
  load_options options;
  load_result result;
};

shard_run run_shard(std::uint64_t k, std::uint64_t n, duration delay) {
  shard_run s;
  s.options.endpoint = {"http://127.0.0.1:9/", false, "127.0.0.1", "9", "/"};
  s.options.definition = builtin_account_definition();
  s.options.rate = rate{100};
  s.options.length = 1s;
  s.options.batch = 2;
  s.options.connections = 2;
  s.options.shard = shard{k, n};
  s.options.seed = 9;
  event_loop loop(start);
  testing::fake_transport t(loop, delay);
  t.answer = [](std::size_t i) {
    return i % 10 == 0 ? testing::fake_transport::nack() : testing::fake_transport::ok();
  };
  load_generator g(loop, t, s.options);
  g.start([] {});
  loop.run();
  s.result = g.result();
  return s;
}

TEST(load_report, holds_parameters_counts_and_the_achieved_rate) {
  const auto s = run_shard(1, 1, 5ms);
  const auto r = load_report(s.options, s.result);
  EXPECT_EQ(r.kind, "load");
  EXPECT_EQ(r.seed, 9u);
  EXPECT_EQ(r.parameters["shard"], "1/1");
  EXPECT_EQ(r.parameters["messages_scheduled"], 100);
  EXPECT_DOUBLE_EQ(r.parameters["achieved_rate_per_second"].get<double>(), 100.0);
  EXPECT_EQ(r.parameters["latency_from_intended_start_us"]["max"], 5000);
  EXPECT_EQ(r.metrics.totals().messages_sent, 100u);
  EXPECT_EQ(r.metrics.totals().failures_by_class.at("nack"), 10u);
  EXPECT_EQ(r.status.counts.delivered, 180u);
  EXPECT_EQ(r.status.counts.failed, 20u);
  EXPECT_EQ(r.finished, start + 990ms + 5ms);
  EXPECT_EQ(r.metrics.service_time().max(), 5000);
  EXPECT_TRUE(r.passed());
  // It survives report.json and back unchanged.
  EXPECT_EQ(reports::report_from_json(reports::to_json(r), "report.json"), r);
}

// A shard's report says which shard it was, what it was asked to send (its 1/N of the rate) and
// what it did, so that a merge can list the shards and know whether all ran to the end.
TEST(load_report, states_its_shard_and_its_share_of_the_rate) {
  auto s = run_shard(2, 3, 5ms);
  s.options.host = "pod-1";
  s.options.start_at = start;
  const auto r = load_report(s.options, s.result);
  EXPECT_EQ(r.parameters["shard"], "2/3");
  EXPECT_EQ(r.parameters["messages_scheduled"], 33);  // messages 1, 4, ... 97 of the test's 100
  EXPECT_NEAR(r.parameters["rate_per_second"].get<double>(), 100.0 / 3, 1e-9);
  ASSERT_EQ(r.shards.size(), 1u);
  const auto& shard = r.shards[0];
  EXPECT_EQ(shard.index, 2u);
  EXPECT_EQ(shard.count, 3u);
  EXPECT_EQ(shard.host, "pod-1");
  EXPECT_EQ(shard.start_at, start);
  EXPECT_NEAR(shard.rate_per_second, 100.0 / 3, 1e-9);
  EXPECT_EQ(shard.length, 1s);
  EXPECT_EQ(shard.seed, 9u);
  EXPECT_EQ(shard.scheduled, 33u);
  EXPECT_EQ(shard.answered, 33u);
  EXPECT_TRUE(shard.ran_to_the_end());
  EXPECT_EQ(shard.start, start);  // shard 2's first message is the test's message 1, at 10 ms
  EXPECT_EQ(r.metrics.totals().messages_sent, 33u);
  EXPECT_EQ(reports::report_from_json(reports::to_json(r), "report.json"), r);
}

TEST(load_report, shards_merge_exactly) {
  const auto a = run_shard(1, 2, 5ms);
  const auto b = run_shard(2, 2, 15ms);
  const auto merged =
      reports::merge({load_report(a.options, a.result), load_report(b.options, b.result)});
  EXPECT_EQ(merged.metrics.totals().messages_sent, 100u);  // the test's 100, 50 each
  EXPECT_EQ(merged.metrics.totals().notifications_delivered, 180u);
  EXPECT_EQ(merged.metrics.totals().failures_by_class.at("nack"), 10u);
  EXPECT_EQ(merged.shards.size(), 2u);
  EXPECT_TRUE(merged.passed());
  auto both = a.result.metrics.response_time();
  both.merge(b.result.metrics.response_time());
  EXPECT_EQ(merged.metrics.response_time(), both);
  EXPECT_EQ(merged.metrics.response_time().max(), 15'000);
}

TEST(load_summary, names_the_rate_errors_and_latency) {
  const auto s = run_shard(1, 1, 5ms);
  const auto text = load_summary(s.options, s.result);
  EXPECT_NE(text.find("sent 100 of 100 messages (200 notifications)"), std::string::npos) << text;
  EXPECT_NE(text.find("achieved 100.0/s of 100/s requested"), std::string::npos) << text;
  EXPECT_NE(text.find("nack 10"), std::string::npos) << text;
  EXPECT_NE(text.find("in 995ms"), std::string::npos) << text;  // human units, not 995000us
  // The report's summary has the latency from the intended start, once, and no attempts line.
  const auto summary = reports::text_summary(load_report(s.options, s.result));
  EXPECT_NE(summary.find("latency        p50 5.00ms"), std::string::npos) << summary;
  EXPECT_NE(summary.find("(from the intended start)"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("response time"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("attempts"), std::string::npos) << summary;
}

}  // namespace
}  // namespace outbound::modes
