#include "modes/load_schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stdexcept>

namespace outbound::modes {
namespace {

using namespace std::chrono_literals;

const time_point start = *parse_timestamp("2026-01-05T09:00:00Z");

TEST(parse_rate, reads_per_second_minute_and_hour) {
  EXPECT_DOUBLE_EQ(parse_rate("500")->per_second, 500);
  EXPECT_DOUBLE_EQ(parse_rate("500/s")->per_second, 500);
  EXPECT_DOUBLE_EQ(parse_rate("30000/m")->per_second, 500);
  EXPECT_DOUBLE_EQ(parse_rate("1800/h")->per_second, 0.5);
  EXPECT_DOUBLE_EQ(parse_rate("2.5/s")->per_second, 2.5);
  EXPECT_DOUBLE_EQ(parse_rate("86400/d")->per_second, 1);  // the scenarios' grammar, shared
}

TEST(parse_rate, rejects_garbage_zero_and_negative) {
  for (const char* bad :
       {"", "/s", "0", "0/s", "-5/s", "5/x", "abc", "5/s/s", "1e9/s", "nan", "1e300/s", "inf"})
    EXPECT_FALSE(parse_rate(bad)) << bad;
}

TEST(format_rate, round_trips) {
  EXPECT_EQ(format_rate(*parse_rate("500/s")), "500/s");
  EXPECT_EQ(format_rate(*parse_rate("2.5")), "2.5/s");
}

TEST(parse_shard, reads_k_of_n) {
  EXPECT_EQ(parse_shard("1/1"), (shard{1, 1}));
  EXPECT_EQ(parse_shard("3/4"), (shard{3, 4}));
  for (const char* bad : {"", "0/4", "5/4", "1/0", "1", "a/b", "1/2/3", "-1/2"})
    EXPECT_FALSE(parse_shard(bad)) << bad;
}

// The offset of message i at a constant rate, as --rate means it: i / rate, rounded to the
// microsecond.
time_point due(std::uint64_t i, rate r, duration length) {
  return start + arrival_plan(r, length).offset(i);
}

TEST(constant_rate, spaces_messages_by_the_inverse_rate) {
  const rate r{500};
  EXPECT_EQ(due(0, r, 2s), start);
  EXPECT_EQ(due(1, r, 2s), start + 2ms);
  EXPECT_EQ(due(42, r, 2s), start + 84ms);
  EXPECT_EQ(due(500, r, 2s), start + 1s);
}

TEST(constant_rate, never_accumulates_rounding) {
  const rate r{3};  // 333333.33...us apart
  EXPECT_EQ(due(1, r, 2'000'000s), start + 333333us);
  EXPECT_EQ(due(2, r, 2'000'000s), start + 666667us);
  EXPECT_EQ(due(3'000'000, r, 2'000'000s), start + 1'000'000s);
}

TEST(constant_rate, sends_rate_times_duration) {
  EXPECT_EQ(arrival_plan(rate{100}, 2s).message_count(), 200u);
  EXPECT_EQ(arrival_plan(rate{3}, 1s).message_count(), 3u);
  EXPECT_EQ(arrival_plan(rate{0.1}, 30s).message_count(), 3u);
  EXPECT_EQ(arrival_plan(rate{2.5}, 1s).message_count(), 3u);         // due at 0, 0.4 s and 0.8 s
  EXPECT_THROW(arrival_plan(rate{1000}, 0s), std::invalid_argument);  // no message in no time
}

TEST(constant_rate, counts_exactly_the_messages_due_before_the_end) {
  for (const double per_second : {1.0, 7.0, 333.0, 1000.0, 12345.0}) {
    const rate r{per_second};
    const duration length = 1500ms;
    const arrival_plan p(r, length);
    const auto n = p.message_count();
    ASSERT_GT(n, 0u);
    EXPECT_LT(start + p.offset(n - 1), start + length) << per_second;
    // Message n, were it sent, would be due at n / rate: not before the end.
    const auto after = start + duration(std::llround(static_cast<double>(n) * 1e6 / per_second));
    EXPECT_GE(after, start + length) << per_second;
  }
}

TEST(message_count, shards_share_the_test_exactly) {
  for (const std::uint64_t shards : {1u, 2u, 3u, 4u, 7u}) {
    for (const double per_second : {1.0, 7.0, 333.0, 2000.0}) {
      const rate r{per_second};
      std::uint64_t sum = 0;
      std::set<std::uint64_t> indices;
      for (std::uint64_t k = 1; k <= shards; ++k) {
        const shard s{k, shards};
        const auto n = arrival_plan(r, 1500ms).message_count(s);
        sum += n;
        for (std::uint64_t i = 0; i < n; ++i) indices.insert(test_message_index(s, i));
      }
      // Every message of the test is sent by exactly one shard.
      EXPECT_EQ(sum, arrival_plan(r, 1500ms).message_count()) << shards << " " << per_second;
      EXPECT_EQ(indices.size(), sum);
      EXPECT_EQ(indices.empty() ? 0 : *indices.rbegin() + 1, sum);
    }
  }
  EXPECT_EQ(arrival_plan(rate{2}, 1s).message_count(shard{3, 4}), 0u);  // 2 messages, 4 shards
}

TEST(load_schedule, the_header_example_holds) {
  const auto r = parse_rate("500/s");
  ASSERT_TRUE(r);
  const arrival_plan p(*r, 1s);
  EXPECT_EQ(p.offset(42), 84ms);
  const auto s = parse_shard("2/4");
  ASSERT_TRUE(s);
  EXPECT_EQ(notification_sequence(*s, 7), 7u * 4 + 1);
  EXPECT_EQ(test_message_index(*s, 7), 29u);
  EXPECT_EQ(p.message_count(*s), 125u);
}

TEST(notification_sequence, shards_are_disjoint_and_cover_the_space) {
  const std::uint64_t shards = 4, per_shard = 1000;
  std::set<std::uint64_t> seen;
  for (std::uint64_t k = 1; k <= shards; ++k)
    for (std::uint64_t n = 0; n < per_shard; ++n) {
      const auto s = notification_sequence(shard{k, shards}, n, 7);
      EXPECT_TRUE(seen.insert(s).second) << "shard " << k << " n " << n;
      EXPECT_EQ(s / run_block_size, 7u);
    }
  EXPECT_EQ(*seen.begin(), 7 * run_block_size);
  EXPECT_EQ(*seen.rbegin(), 7 * run_block_size + shards * per_shard - 1);
}

TEST(run_block_for_seed, differs_for_nearby_seeds_and_stays_in_range) {
  std::set<std::uint64_t> blocks;
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    const auto b = run_block_for_seed(seed);
    EXPECT_LT(b, std::uint64_t{1} << 19);
    blocks.insert(b);
    EXPECT_EQ(b, run_block_for_seed(seed));
  }
  EXPECT_GT(blocks.size(), 95u);
}

}  // namespace
}  // namespace outbound::modes

namespace outbound::modes {
namespace {

using namespace std::chrono_literals;

// A ramp from 0 to 200/s over 2s: N(t) = 50 t^2, 200 messages, message i at sqrt(i / 50) s.
TEST(arrival_plan, a_ramp_integrates_its_rate) {
  const arrival_plan p({{2s, 0, 200}});
  EXPECT_DOUBLE_EQ(p.integral(), 200);
  EXPECT_EQ(p.message_count(), 200u);
  EXPECT_EQ(p.offset(0), 0us);
  EXPECT_EQ(p.offset(50), 1s);
  EXPECT_EQ(p.offset(100), duration(std::llround(std::sqrt(2.0) * 1e6)));
  EXPECT_EQ(p.offset(199), duration(std::llround(std::sqrt(199 / 50.0) * 1e6)));
  EXPECT_DOUBLE_EQ(p.mean_rate(), 100);
}

// Down again: from 200/s to 0 over 2s, the mirror image, messages crowd at the start.
TEST(arrival_plan, a_ramp_down_mirrors_a_ramp_up) {
  const arrival_plan p({{2s, 200, 0}});
  EXPECT_EQ(p.message_count(), 200u);
  EXPECT_EQ(p.offset(0), 0us);
  // N(t) = 200t - 50t^2 = 150 at t = 1s.
  EXPECT_EQ(p.offset(150), 1s);
  for (std::uint64_t i = 1; i < 200; ++i) EXPECT_GT(p.offset(i), p.offset(i - 1)) << i;
  EXPECT_LT(p.offset(199), 2s);
}

// A single constant stage is exactly --rate and --duration: rate x length messages (the
// tolerance keeps 100/s for 2s at 200 despite binary rounding), message i at i / rate.
TEST(arrival_plan, one_hold_stage_gives_due_time_offsets) {
  for (const double r : {3.0, 7.0, 500.0, 2.5, 1234.567}) {
    const arrival_plan p(rate{r}, 10s);
    EXPECT_EQ(p.message_count(), static_cast<std::uint64_t>(std::ceil(r * 10 - 1e-9))) << r;
    for (std::uint64_t i = 0; i < p.message_count(); i += 7)
      EXPECT_EQ(p.offset(i), duration(std::llround(static_cast<double>(i) * 1e6 / r)))
          << r << " " << i;
  }
}

// Stage boundaries: a hold of 100/s for 1s then a step to 300/s: message 100 opens the second
// stage exactly at 1s, and offsets inside a stage never depend on the ones before.
TEST(arrival_plan, a_step_starts_the_next_stage_on_its_boundary) {
  const arrival_plan p({{1s, 100, 100}, {1s, 300, 300}});
  EXPECT_EQ(p.message_count(), 400u);
  EXPECT_EQ(p.offset(99), 990ms);
  EXPECT_EQ(p.offset(100), 1s);
  EXPECT_EQ(p.offset(101), 1s + 3333us);
  EXPECT_EQ(p.offset(399), 1s + 996667us);
  EXPECT_EQ(p.length(), 2s);
}

// Ramp, hold, ramp: the second ramp starts where the hold ends; no rounding accumulates over a
// long hold (a million messages at 3/s land on whole seconds every third).
TEST(arrival_plan, offsets_never_accumulate_rounding_across_stages) {
  const arrival_plan p({{10s, 0, 3}, {1'000'000s, 3, 3}, {10s, 3, 0}});
  EXPECT_EQ(p.message_count(), 15u + 3'000'000u + 15u);
  EXPECT_EQ(p.offset(15), 10s);
  EXPECT_EQ(p.offset(15 + 3'000'000 - 3), 10s + 999'999s);
  EXPECT_EQ(p.offset(15 + 3'000'000), 1'000'010s);
  EXPECT_LT(p.offset(p.message_count() - 1), p.length());
}

// A stage at rate 0 sends nothing: message 0 waits for the first stage that sends.
TEST(arrival_plan, a_leading_pause_delays_the_first_message) {
  const arrival_plan p({{5s, 0, 0}, {1s, 10, 10}});
  EXPECT_EQ(p.message_count(), 10u);
  EXPECT_EQ(p.offset(0), 5s);
  EXPECT_EQ(p.offset(9), 5s + 900ms);
}

TEST(arrival_plan, shards_split_a_profile_like_a_constant_rate) {
  const arrival_plan p({{2s, 0, 200}, {1s, 100, 100}});  // 300 messages
  std::uint64_t total = 0;
  for (std::uint64_t k = 1; k <= 4; ++k) total += p.message_count(shard{k, 4});
  EXPECT_EQ(total, p.message_count());
  EXPECT_EQ(p.message_count(shard{1, 4}), 75u);
}

TEST(arrival_plan, refuses_what_is_no_schedule) {
  EXPECT_THROW(arrival_plan(std::vector<load_stage>{}), std::invalid_argument);
  EXPECT_THROW(arrival_plan({{0s, 1, 1}}), std::invalid_argument);
  EXPECT_THROW(arrival_plan({{1s, -1, 1}}), std::invalid_argument);
}

}  // namespace
}  // namespace outbound::modes
