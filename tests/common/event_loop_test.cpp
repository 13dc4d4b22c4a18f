#include "common/event_loop.hpp"

#include <gtest/gtest.h>

#include <string>

namespace outbound {
namespace {

using namespace std::chrono_literals;

const time_point start = *parse_timestamp("2026-01-05T08:00:00Z");

TEST(event_loop, fires_in_time_order_and_ties_in_scheduling_order) {
  event_loop loop(start);
  std::string order;
  loop.at(start + 2h, [&] { order += 'c'; });
  loop.at(start + 1h, [&] { order += 'a'; });
  loop.at(start + 1h, [&] { order += 'b'; });
  loop.run();
  EXPECT_EQ(order, "abc");
  EXPECT_EQ(loop.clock().now(), start + 2h);
  EXPECT_EQ(loop.fired(), 3u);
}

TEST(event_loop, work_can_schedule_more_work_and_the_past_means_now) {
  event_loop loop(start);
  std::vector<time_point> seen;
  loop.at(start + 1h, [&] {
    seen.push_back(loop.clock().now());
    loop.at(start, [&] { seen.push_back(loop.clock().now()); });
  });
  loop.run();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1], start + 1h);
}

TEST(event_loop, run_until_stops_at_the_deadline_and_keeps_later_work) {
  event_loop loop(start);
  int fired = 0;
  loop.at(start + 1h, [&] { ++fired; });
  loop.at(start + 5h, [&] { ++fired; });
  loop.run_until(start + 3h);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(loop.clock().now(), start + 3h);
  EXPECT_EQ(loop.pending(), 1u);
}

}  // namespace
}  // namespace outbound
