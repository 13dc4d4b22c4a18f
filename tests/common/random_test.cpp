#include "common/random.hpp"

#include <gtest/gtest.h>

namespace outbound {
namespace {

TEST(random, same_seed_same_sequence) {
  random a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    EXPECT_EQ(x, b.next());
    differs |= x != c.next();
  }
  EXPECT_TRUE(differs);
}

TEST(random, uniform_and_below_stay_in_range) {
  random r(7);
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    ASSERT_LT(r.below(10), 10u);
  }
  EXPECT_NEAR(sum / 10000, 0.5, 0.02);
  EXPECT_EQ(r.below(0), 0u);
}

}  // namespace
}  // namespace outbound
