#include "common/rate.hpp"

#include <gtest/gtest.h>

namespace outbound {
namespace {

TEST(rate, reads_every_unit) {
  EXPECT_EQ(parse_rate("30/s"), 30.0);
  EXPECT_EQ(parse_rate("30/m"), 0.5);
  EXPECT_EQ(parse_rate("2/h"), 2.0 / 3600);
  EXPECT_EQ(parse_rate("100/d"), 100.0 / 86400);
  EXPECT_EQ(parse_rate("2.5/s"), 2.5);
  EXPECT_EQ(parse_rate("500"), 500.0);
  EXPECT_EQ(parse_rate("0/s"), 0.0);
  EXPECT_EQ(parse_rate("10000000/s"), max_rate_per_second);
}

TEST(rate, refuses_what_is_no_rate_or_out_of_range) {
  for (auto bad : {"", "/s", "5/", "5/x", "-1/s", "1e300/s", "inf/s", "nan", "10000001/s", "5 /s",
                   "5/s/s", "1e999"}) {
    EXPECT_FALSE(parse_rate(bad).has_value()) << bad;
  }
  EXPECT_FALSE(checked_rate(1e300).has_value());
  EXPECT_FALSE(checked_rate(-1).has_value());
  EXPECT_EQ(checked_rate(7), 7.0);
}

}  // namespace
}  // namespace outbound
