#include "sender/retry_after.hpp"

#include <gtest/gtest.h>

namespace outbound::sender {
namespace {

using namespace std::chrono_literals;

const time_point now = *parse_timestamp("2015-10-21T07:28:00Z");

TEST(retry_after, delta_seconds) {
  EXPECT_EQ(parse_retry_after("120", now), 120s);
  EXPECT_EQ(parse_retry_after(" 0 ", now), 0s);
  EXPECT_EQ(parse_retry_after("007", now), 7s);
}

TEST(retry_after, an_http_date_is_read_against_the_arrival_time) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", now), 2min);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), 0s);  // in the past
  EXPECT_EQ(parse_retry_after("Thu, 22 Oct 2015 07:28:00 GMT", now), 24h);
}

TEST(retry_after, huge_values_are_cut_to_a_year) {
  EXPECT_EQ(parse_retry_after("99999999999999999999999999", now), longest_retry_after);
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now), longest_retry_after);
}

TEST(retry_after, anything_else_is_ignored) {
  for (const char* v : {"", "soon", "-5", "1.5", "12s", "Wed, 21 Oct 2015 07:30:00 UTC",
                        "Wed, 31 Feb 2015 07:30:00 GMT", "Wed, 21 Oct 2015 25:30:00 GMT",
                        "Xyz, 21 Oct 2015 07:30:00 GMT", "Wednesday, 21-Oct-15 07:30:00 GMT"})
    EXPECT_EQ(parse_retry_after(v, now), std::nullopt) << v;
}

}  // namespace
}  // namespace outbound::sender
