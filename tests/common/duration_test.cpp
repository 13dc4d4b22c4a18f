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
  for (auto bad : {"", "5", "h", "1.5h", "-3s", "3 s", "3x", "1h30", "ms", "99999999999999999d"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
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
