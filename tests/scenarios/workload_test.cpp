#include "scenarios/workload.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace outbound::scenarios {
namespace {

using namespace std::chrono_literals;

traffic constant(double per_second, duration from, duration until) {
  traffic t;
  t.kind = traffic::shape::constant;
  t.rate = per_second;
  t.from = from;
  t.until = until;
  return t;
}

std::size_t count_between(const std::vector<arrival>& a, duration from, duration until) {
  return static_cast<std::size_t>(std::count_if(
      a.begin(), a.end(), [&](const arrival& x) { return x.at >= from && x.at < until; }));
}

TEST(workload, constant_rate_gives_exact_evenly_spaced_counts) {
  workload w;
  w.changes.push_back(constant(10.0 / 3600, 1h, 4h));  // 10/h for 3 hours
  random rng(1);
  const auto a = schedule_arrivals(w, default_start(), rng);
  ASSERT_EQ(a.size(), 30u);
  EXPECT_EQ(a.front().at, 1h + 3min);  // the middle of the first interval of 6 minutes
  for (std::size_t i = 1; i < a.size(); ++i) EXPECT_EQ(a[i].at - a[i - 1].at, 6min);
  EXPECT_TRUE(std::all_of(a.begin(), a.end(),
                          [](const arrival& x) { return x.kind == sender::change_kind::update; }));
}

TEST(workload, ramp_grows_linearly) {
  workload w;
  traffic t;
  t.kind = traffic::shape::ramp;
  t.rate = 0;
  t.rate_to = 2.0;  // per second, over 100 s: 100 changes in all
  t.from = 0s;
  t.until = 100s;
  w.changes.push_back(t);
  random rng(1);
  const auto a = schedule_arrivals(w, default_start(), rng);
  EXPECT_EQ(a.size(), 100u);
  EXPECT_DOUBLE_EQ(expected_changes(t, default_start()), 100.0);
  // The integral of a linear ramp: a quarter in the first half, three quarters in the second.
  EXPECT_EQ(count_between(a, 0s, 50s), 25u);
  EXPECT_EQ(count_between(a, 50s, 100s), 75u);
}

TEST(workload, daily_curve_follows_utc_hours) {
  workload w;
  traffic t;
  t.kind = traffic::shape::daily;
  t.rate = 100.0 / 3600;  // peak 100/h
  t.curve.fill(0);
  t.curve[9] = 1.0;   // 09:00-10:00 UTC
  t.curve[10] = 0.5;  // 10:00-11:00 UTC
  t.from = 0s;
  t.until = 24h;
  w.changes.push_back(t);
  random rng(1);
  const auto a = schedule_arrivals(w, default_start(), rng);  // the start is 08:00 UTC
  EXPECT_EQ(a.size(), 150u);
  EXPECT_EQ(count_between(a, 1h, 2h), 100u);
  EXPECT_EQ(count_between(a, 2h, 3h), 50u);
}

TEST(workload, bursts_at_one_instant_or_spread) {
  workload w;
  traffic t;
  t.kind = traffic::shape::burst;
  t.from = t.until = 5s;
  t.count = 1000;
  w.changes.push_back(t);
  t.from = 10s;
  t.until = 20s;
  t.count = 10;
  w.changes.push_back(t);
  random rng(1);
  const auto a = schedule_arrivals(w, default_start(), rng);
  ASSERT_EQ(a.size(), 1010u);
  EXPECT_EQ(count_between(a, 5s, 5s + 1us), 1000u);
  EXPECT_EQ(a[1000].at, 10s);
  EXPECT_EQ(a[1009].at, 19s);
}

TEST(workload, poisson_arrivals_are_seeded) {
  workload w;
  w.poisson = true;
  w.changes.push_back(constant(1.0, 0s, 1000s));
  random a(7), b(7), c(8);
  const auto x = schedule_arrivals(w, default_start(), a);
  const auto y = schedule_arrivals(w, default_start(), b);
  const auto z = schedule_arrivals(w, default_start(), c);
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(x[i].at, y[i].at);
  EXPECT_NEAR(static_cast<double>(x.size()), 1000.0, 150.0);  // about 1000 +- 4.7 sigma
  EXPECT_TRUE(x.size() != z.size() || x[0].at != z[0].at);
}

TEST(workload, mix_picks_kinds_in_proportion) {
  workload w;
  w.mix = change_mix{0.2, 0.5, 0.3};
  w.changes.push_back(constant(1.0, 0s, 10000s));
  random rng(3);
  const auto a = schedule_arrivals(w, default_start(), rng);
  auto n = [&](sender::change_kind k) {
    return std::count_if(a.begin(), a.end(), [&](const arrival& x) { return x.kind == k; });
  };
  EXPECT_NEAR(n(sender::change_kind::create), 2000, 200);
  EXPECT_NEAR(n(sender::change_kind::update), 5000, 250);
  EXPECT_NEAR(n(sender::change_kind::remove), 3000, 250);
}

TEST(record_pool, creates_updates_and_deletes_records) {
  record_pool pool("Account", {{"Name", soap::field_type::string},
                               {"SystemModstamp", soap::field_type::datetime}});
  random rng(5);
  const time_point t0 = default_start();
  const auto initial = pool.initial(3, rng, t0);
  ASSERT_EQ(initial.size(), 3u);
  EXPECT_EQ(pool.alive(), 3u);
  EXPECT_EQ(initial[0].kind, sender::change_kind::create);
  EXPECT_EQ(initial[0].record_id.substr(0, 3), "001");
  EXPECT_NE(initial[0].record_id, initial[1].record_id);
  ASSERT_EQ(initial[0].fields.size(), 2u);

  const auto update = pool.change(sender::change_kind::update, rng, t0 + 1h);
  EXPECT_EQ(update.kind, sender::change_kind::update);
  const auto stamp =
      std::find_if(update.fields.begin(), update.fields.end(),
                   [](const soap::field_value& f) { return f.name == "SystemModstamp"; });
  ASSERT_NE(stamp, update.fields.end());
  EXPECT_EQ(stamp->value, format_timestamp(t0 + 1h));

  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(pool.change(sender::change_kind::remove, rng, t0).kind, sender::change_kind::remove);
  EXPECT_EQ(pool.alive(), 0u);
  // Nothing left to update: the change becomes a create.
  EXPECT_EQ(pool.change(sender::change_kind::update, rng, t0).kind, sender::change_kind::create);
  EXPECT_EQ(pool.alive(), 1u);
}

}  // namespace
}  // namespace outbound::scenarios
