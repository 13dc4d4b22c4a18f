#include "common/duration.hpp"

#include <gtest/gtest.h>

namespace outbound {
namespace {

using namespace std::chrono_literals;

TEST(duration, reads_every_unit_and_combinations) {
  EXPECT_EQ(parse_duration("250ms"), duration(250ms));
  EXPECT_EQ(parse_duration("90s"), duration(90s));
  EXPECT_EQ(parse_duration("15m"), duration(15min));
  EXPECT_EQ(parse_duration("3h"), duration(3h));
  EXPECT_EQ(parse_duration("1h30m"), duration(90min));
  EXPECT_EQ(parse_duration("2d"), duration(48h));
  EXPECT_EQ(parse_duration("1m30s500ms"), duration(90500ms));
  EXPECT_EQ(parse_duration("0s"), duration(0));
}

TEST(duration, rejects_what_is_not_a_duration) {
  for (auto bad : {"", "5", "h", "-3s", "3 s", "3x", "1h30", "ms", "99999999999999999d", ".5s",
                   "1.s", "1.5", "1..5s", "1.1234567s", "0x10s"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(duration, reads_decimals_to_the_microsecond) {
  EXPECT_EQ(parse_duration("1.5h"), duration(90min));
  EXPECT_EQ(parse_duration("0.25s"), duration(250ms));
  EXPECT_EQ(parse_duration("1.5ms"), duration(1500));
  EXPECT_EQ(parse_duration("0.5d12h"), duration(24h));
  EXPECT_EQ(parse_duration("1.000001s"), duration(1'000'001));
  EXPECT_EQ(parse_duration("0.000001m"), duration(60));
  EXPECT_EQ(parse_duration("1.9us"), duration(1));  // finer than a microsecond: rounded down
}

// Each of these multiplied past 2^63 before (undefined behaviour that UBSan reported).
TEST(duration, refuses_what_would_overflow_or_exceed_a_hundred_years) {
  for (auto bad : {"99999999999999999h", "999999999999d", "9223372036854775807us", "106751991167d",
                   "36501d", "100000000000000000000000s", "36500d1us", "876001h",
                   "3153600000000001us", "99999999999d99999999999d"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
  EXPECT_EQ(parse_duration("36500d"), max_duration);
  EXPECT_EQ(parse_duration("876000h"), max_duration);
}

TEST(duration, formats_to_what_it_reads) {
  EXPECT_EQ(format_duration(90min), "1h30m");
  EXPECT_EQ(format_duration(250ms), "250ms");
  EXPECT_EQ(format_duration(0s), "0s");
  EXPECT_EQ(format_duration(26h), "1d2h");
  for (auto d : {duration(1), duration(1500ms), duration(7h + 3s + 2ms), duration(49h)}) {
    EXPECT_EQ(parse_duration(format_duration(d)), d) << format_duration(d);
  }
}

}  // namespace
}  // namespace outbound
