#include "reports/load_series.hpp"

#include <gtest/gtest.h>

#include "common/input_error.hpp"

namespace outbound::reports {
namespace {

using namespace std::chrono_literals;

const time_point start = *parse_timestamp("2026-01-05T09:00:00Z");

// Message i: due at start + i*10ms, sent 1ms later, answered after (i % 37) ms more; every
// 13th a timeout, every 17th refused (no time recorded).
void feed(load_series& s, std::uint64_t from, std::uint64_t to, std::uint64_t step = 1) {
  for (std::uint64_t i = from; i < to; i += step) {
    const auto due = start + 10ms * static_cast<long>(i);
    const auto sent = due + 1ms;
    const auto at = sent + 1ms * static_cast<long>(i % 37);
    s.due(due);
    s.answered(i % 2 ? "A" : "B", due, sent, at,
               i % 13 == 0   ? "timeout"
               : i % 17 == 0 ? "refused"
                             : "");
  }
}

TEST(load_series, counts_requested_answered_and_failures_per_interval) {
  load_series s(start, 10s);  // 100ms points
  EXPECT_EQ(s.interval(), 100ms);
  feed(s, 0, 1000);
  std::uint64_t requested = 0, answered = 0, timeouts = 0;
  for (const auto& p : s.points()) {
    requested += p.requested;
    answered += p.answered;
    if (p.failed.contains("timeout")) timeouts += p.failed.at("timeout");
  }
  EXPECT_EQ(requested, 1000u);
  EXPECT_EQ(answered, 1000u);
  EXPECT_EQ(timeouts, 77u);  // 0, 13, ..., 988
  EXPECT_EQ(s.points()[0].requested, 10u);
  // Point 0 holds messages 0..9: message 0 timed out, which still reached the listener.
  EXPECT_EQ(s.points()[0].latency.count(), 10u);
  EXPECT_EQ(s.definitions().at("A").ok + s.definitions().at("A").ko, 500u);
}

TEST(load_series, percentiles_per_interval_are_within_the_histograms_precision) {
  load_series s(start, 10s);
  feed(s, 0, 1000);
  // Point 1 holds messages 10..19, latency (1 + i%37) ms; 17 was refused and has no time.
  const auto& p = s.points()[1];
  EXPECT_EQ(p.latency.count(), 9u);
  EXPECT_NEAR(double(p.latency.percentile(50)), 15000, 15000 * 0.01);
  EXPECT_NEAR(double(p.latency.percentile(99)), 20000, 20000 * 0.01);
  EXPECT_NEAR(double(p.service.percentile(99)), 19000, 19000 * 0.01);
}

// Two shards' series (every other message each) merge into the series of one run exactly.
TEST(load_series, shards_merge_into_the_series_of_one_run) {
  load_series whole(start, 10s), odd(start, 10s), even(start, 10s);
  feed(whole, 0, 1000);
  feed(even, 0, 1000, 2);
  feed(odd, 1, 1000, 2);
  even.merge(odd);
  EXPECT_EQ(even, whole);
}

// Different lengths pick different intervals: the merge re-bins to their least common multiple.
TEST(load_series, merges_series_of_different_intervals_by_time) {
  load_series a(start, 10s), b(start, 25s), one(start, 25s);  // 100ms and 500ms
  EXPECT_EQ(b.interval(), 500ms);
  feed(a, 0, 500);
  feed(b, 500, 1000);
  feed(one, 0, 1000);
  a.merge(b);
  EXPECT_EQ(a.interval(), 500ms);
  EXPECT_EQ(a, one);
}

TEST(load_series, survives_report_json) {
  load_series s(start, 10s);
  feed(s, 0, 300);
  EXPECT_EQ(load_series::from_json(s.to_json(), "report.json", "/load"), s);
}

TEST(load_series, reading_refuses_a_damaged_series) {
  load_series s(start, 10s);
  feed(s, 0, 300);
  auto j = s.to_json();
  j["answered"].erase(0);
  try {
    (void)load_series::from_json(j, "report.json", "/load");
    FAIL() << "accepted";
  } catch (const input_error& e) {
    EXPECT_EQ(e.path(), "/load/answered");
  }
  j = s.to_json();
  j["latency_us"][0][0][0] = 257;  // inside a bucket, not its lowest value
  EXPECT_THROW((void)load_series::from_json(j, "report.json", "/load"), input_error);
}

}  // namespace
}  // namespace outbound::reports
