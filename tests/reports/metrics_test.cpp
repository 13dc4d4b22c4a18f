#include "reports/metrics.hpp"

#include <gtest/gtest.h>

#include "common/random.hpp"

namespace outbound::reports {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const time_point t0 = parse_timestamp("2026-01-05T09:00:00Z").value();

TEST(Metrics, NiceIntervalGivesAboutTwoHundredPoints) {
  EXPECT_EQ(nice_interval(hours(24), 200), minutes(10));  // 432 s -> 10 min (144 points)
  EXPECT_EQ(nice_interval(seconds(60), 200), milliseconds(500));
  EXPECT_EQ(nice_interval(minutes(10), 200), seconds(5));
  EXPECT_EQ(nice_interval(milliseconds(10), 200), milliseconds(1));
}

TEST(Metrics, CountersFollowTheEvents) {
  run_metrics m(t0, minutes(10));
  for (int i = 0; i < 150; ++i) m.accepted(t0);
  m.attempt_sent(t0 + seconds(1), 100);
  m.attempt_sent(t0 + seconds(1), 50);
  m.attempt_finished(t0 + seconds(2), 100, "", milliseconds(80));
  m.attempt_finished(t0 + seconds(61), 50, "refused", milliseconds(2));
  m.attempt_sent(t0 + seconds(76), 50, 50);
  m.attempt_finished(t0 + seconds(77), 50, "timeout", seconds(60));
  for (int i = 0; i < 100; ++i) m.delivered(t0 + seconds(2), t0, 1);
  for (int i = 0; i < 30; ++i) m.dropped(t0 + hours(24), t0, 9);
  m.deleted(t0 + minutes(5), t0, 2);
  const auto& c = m.totals();
  EXPECT_EQ(c.notifications_accepted, 150u);
  EXPECT_EQ(c.messages_sent, 3u);
  EXPECT_EQ(c.messages_acked, 1u);
  EXPECT_EQ(c.messages_failed, 2u);
  EXPECT_EQ(c.notification_attempts, 200u);
  EXPECT_EQ(c.notification_retries, 50u);
  EXPECT_EQ(c.notifications_delivered, 100u);
  EXPECT_EQ(c.notifications_dropped, 30u);
  EXPECT_EQ(c.notifications_deleted, 1u);
  EXPECT_EQ(c.still_queued(), 19u);
  EXPECT_EQ(c.failures_by_class.at("refused"), 1u);
  EXPECT_EQ(c.failures_by_class.at("timeout"), 1u);
  EXPECT_EQ(m.delivery_latency().count(), 100u);
  EXPECT_EQ(m.delivery_latency().percentile(50), 2000000);
  // The refused attempt never reached the listener: a failure, not a 2 ms response.
  EXPECT_EQ(m.response_time().count(), 2u);
  EXPECT_EQ(m.response_time().min(), 80000);
  EXPECT_EQ(m.attempts().count(), 131u);
  EXPECT_EQ(m.attempts().percentile(99), 9);
}

TEST(Metrics, SeriesBinsByIntervalAlignedToTheEpoch) {
  run_metrics m(t0 + milliseconds(1700), minutes(10));  // 5 s points, start aligned down
  const auto& s = m.series();
  EXPECT_EQ(s.interval, seconds(5));
  EXPECT_EQ(s.start, t0);
  m.attempt_sent(t0 + seconds(1), 10);
  m.attempt_sent(t0 + seconds(4), 5);
  m.attempt_sent(t0 + seconds(12), 7);
  m.attempt_finished(t0 + seconds(13), 7, "nack", milliseconds(5));
  m.attempt_finished(t0 + seconds(14), 10, "", milliseconds(5));
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.sent, (std::vector<std::uint64_t>{15, 0, 7}));
  EXPECT_EQ(s.acked, (std::vector<std::uint64_t>{0, 0, 10}));
  EXPECT_EQ(s.failed.at("nack"), (std::vector<std::uint64_t>{0, 0, 7}));
  EXPECT_EQ(s.failed_total(2), 7u);
}

TEST(Metrics, GaugesKeepLastAndMaxAndCarryForward) {
  run_metrics m(t0, minutes(10));
  m.sample(t0 + seconds(1), 40, 2, 0);
  m.sample(t0 + seconds(2), 90, 3, 5);
  m.sample(t0 + seconds(3), 60, 1, 4);
  m.sample(t0 + seconds(16), 10, 0, 0);
  const auto& s = m.series();
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.queue_depth, (std::vector<std::uint64_t>{60, 60, 60, 10}));
  EXPECT_EQ(s.queue_depth_max, (std::vector<std::uint64_t>{90, 60, 60, 60}));
  EXPECT_EQ(s.in_flight, (std::vector<std::uint64_t>{1, 1, 1, 0}));
  EXPECT_EQ(s.retries_due, (std::vector<std::uint64_t>{4, 4, 4, 0}));
}

TEST(Metrics, WithoutHintTheSeriesCoarsensToStayBounded) {
  run_metrics m;
  std::uint64_t total = 0;
  for (int i = 0; i < 3600 * 5; i += 7) {
    m.attempt_sent(t0 + seconds(i), 3);
    total += 3;
  }
  const auto& s = m.series();
  EXPECT_LE(s.size(), 2 * run_metrics::target_points);
  EXPECT_GE(s.size(), run_metrics::target_points / 2);
  std::uint64_t sum = 0;
  for (auto n : s.sent) sum += n;
  EXPECT_EQ(sum, total);
}

TEST(Metrics, EventsBeforeTheStartExtendTheSeriesBackwards) {
  run_metrics m(t0, minutes(10));
  m.attempt_sent(t0 + seconds(7), 1);
  m.attempt_sent(t0 - seconds(7), 2);
  const auto& s = m.series();
  EXPECT_EQ(s.start, t0 - seconds(10));
  EXPECT_EQ(s.sent, (std::vector<std::uint64_t>{2, 0, 0, 1}));
}

// Feeds a seeded stream of events to `a` or `b` (by parity) and all of them to `all`.
void feed(run_metrics& all, run_metrics& a, run_metrics& b, std::uint64_t seed) {
  random rng(seed);
  const char* classes[] = {"", "", "refused", "timeout", "nack"};
  for (int i = 0; i < 5000; ++i) {
    const auto t = t0 + milliseconds(rng.below(600000));
    auto& part = i % 2 ? a : b;
    const auto n = static_cast<std::uint32_t>(1 + rng.below(100));
    const auto cls = classes[rng.below(5)];
    const auto retried = static_cast<std::uint32_t>(rng.below(2)) * n;
    for (auto* m : {&all, &part}) {
      m->accepted(t, n);
      m->attempt_sent(t, n, retried);
      m->attempt_finished(t + milliseconds(30), n, cls, milliseconds(30 + i % 50));
      m->delivered(t + milliseconds(30), t - seconds(i % 90), 1 + i % 4);
    }
  }
}

TEST(Metrics, MergeOfPartsEqualsTheWhole) {
  run_metrics all(t0, minutes(10)), a(t0, minutes(10)), b(t0, minutes(10));
  feed(all, a, b, 3);
  a.merge(b);
  EXPECT_EQ(a.totals(), all.totals());
  EXPECT_EQ(a.delivery_latency(), all.delivery_latency());
  EXPECT_EQ(a.response_time(), all.response_time());
  EXPECT_EQ(a.attempts(), all.attempts());
  EXPECT_EQ(a.series().sent, all.series().sent);
  EXPECT_EQ(a.series().acked, all.series().acked);
  EXPECT_EQ(a.series().failed, all.series().failed);
}

TEST(Metrics, MergeAlignsDifferentIntervalsByTime) {
  run_metrics a(t0, minutes(10)), b(t0 + seconds(30), minutes(5));  // 5 s and 2 s points
  a.attempt_sent(t0 + seconds(31), 4);
  b.attempt_sent(t0 + seconds(31), 6);
  b.attempt_sent(t0 + seconds(45), 1);
  a.merge(b);
  const auto& s = a.series();
  EXPECT_EQ(s.interval, seconds(10));  // lcm of 5 s and 2 s
  EXPECT_EQ(s.start, t0);
  EXPECT_EQ(s.sent, (std::vector<std::uint64_t>{0, 0, 0, 10, 1}));
}

TEST(Metrics, RebinKeepsCountsAndGauges) {
  run_metrics m(t0, minutes(10));
  for (int i = 0; i < 20; ++i) {
    m.attempt_sent(t0 + seconds(5 * i), 1);
    m.sample(t0 + seconds(5 * i), static_cast<std::uint64_t>(i), 0, 0);
  }
  const auto r = rebin(m.series(), seconds(30));
  EXPECT_EQ(r.sent, (std::vector<std::uint64_t>{6, 6, 6, 2}));
  EXPECT_EQ(r.queue_depth, (std::vector<std::uint64_t>{5, 11, 17, 19}));
  EXPECT_EQ(r.queue_depth_max, (std::vector<std::uint64_t>{5, 11, 17, 19}));
}

}  // namespace
}  // namespace outbound::reports

namespace outbound::reports {
namespace {

TEST(Metrics, AStrayTimeFarAwayCoarsensInsteadOfGrowingWithoutBound) {
  run_metrics m(t0, minutes(10));
  m.attempt_sent(t0 + seconds(1), 1);
  m.attempt_sent(time_point{}, 1);  // the epoch: 56 years earlier
  m.attempt_sent(t0 + hours(24 * 365), 1);
  const auto& s = m.series();
  EXPECT_LE(s.size(), 2 * run_metrics::target_points);
  std::uint64_t sum = 0;
  for (auto n : s.sent) sum += n;
  EXPECT_EQ(sum, 3u);
}

}  // namespace
}  // namespace outbound::reports
