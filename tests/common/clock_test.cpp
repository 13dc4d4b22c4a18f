#include "common/clock.hpp"

#include <gtest/gtest.h>

namespace outbound {
namespace {

// The usage lines at the top of common/clock.hpp, as written there.
TEST(clock, the_header_example_holds) {
  system_clock real;
  manual_clock fake(*parse_timestamp("2026-01-05T09:00:00Z"));
  fake.advance(std::chrono::hours(3));
  EXPECT_EQ(format_timestamp(fake.now()), "2026-01-05T12:00:00.000Z");
  EXPECT_GT(real.now(), fake.now());
}

TEST(timestamp, formats_utc_with_milliseconds) {
  const auto t = parse_timestamp("2026-01-05T09:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_timestamp(*t), "2026-01-05T09:00:00.000Z");
  EXPECT_EQ(format_timestamp(*t + std::chrono::milliseconds(1234)), "2026-01-05T09:00:01.234Z");
}

TEST(timestamp, reads_fractions_and_rejects_garbage) {
  EXPECT_EQ(parse_timestamp("2026-01-05T09:00:00.5Z"),
            *parse_timestamp("2026-01-05T09:00:00Z") + std::chrono::milliseconds(500));
  for (auto bad :
       {"", "2026-01-05", "2026-13-05T09:00:00Z", "2026-02-30T09:00:00Z", "2026-01-05T25:00:00Z",
        "2026-01-05T09:00:00", "2026-01-05T09:00:00.Z", "2026-01-05T09:00:00Zjunk"}) {
    EXPECT_FALSE(parse_timestamp(bad)) << bad;
  }
}

TEST(wall_time, reads_rfc3339_with_any_zone_and_unix_seconds) {
  const auto nine = *parse_timestamp("2026-01-05T09:00:00Z");
  EXPECT_EQ(parse_wall_time("2026-01-05T09:00:00Z"), nine);
  EXPECT_EQ(parse_wall_time("2026-01-05t09:00:00z"), nine);
  EXPECT_EQ(parse_wall_time("2026-01-05T10:00:00+01:00"), nine);
  EXPECT_EQ(parse_wall_time("2026-01-05T03:30:00-05:30"), nine);
  EXPECT_EQ(parse_wall_time("2026-01-05T09:00:00.25+00:00"), nine + std::chrono::milliseconds(250));
  EXPECT_EQ(parse_wall_time("@1767603600"), nine);
  EXPECT_EQ(parse_wall_time("@1767603600.5"), nine + std::chrono::milliseconds(500));
  for (auto bad : {"", "@", "@-5", "@12x", "@1.", "@1.1234567", "@123456789012", "tomorrow",
                   "2026-01-05T09:00:00", "2026-01-05T09:00:00+1:00", "2026-01-05T09:00:00+24:00",
                   "2026-01-05T09:00:00+01:60", "2026-01-05T09:00:00+-1:00",
                   "2026-01-05T09:00:00 Z", "2026-01-05 09:00:00Z"}) {
    EXPECT_FALSE(parse_wall_time(bad)) << bad;
  }
}

TEST(manual_clock, moves_only_when_told) {
  manual_clock c(*parse_timestamp("2026-01-05T09:00:00Z"));
  const auto start = c.now();
  EXPECT_EQ(c.now(), start);
  c.advance(std::chrono::hours(3));
  EXPECT_EQ(c.now() - start, std::chrono::hours(3));
}

}  // namespace
}  // namespace outbound
