#include "reports/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/input_error.hpp"
#include "common/random.hpp"

namespace outbound::reports {
namespace {

constexpr std::int64_t max_value = std::int64_t{48} * 3600 * 1000000;  // 48 h in us

// Log-uniform values from 1 us to 48 h, so every octave of the range is exercised.
std::vector<std::int64_t> seeded_values(std::uint64_t seed, std::size_t n) {
  random rng(seed);
  std::vector<std::int64_t> v(n);
  for (auto& x : v)
    x = static_cast<std::int64_t>(std::exp(rng.uniform() * std::log(double(max_value))));
  return v;
}

std::int64_t exact_percentile(std::vector<std::int64_t> v, double p) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(v.size())));
  return v[std::max<std::size_t>(rank, 1) - 1];
}

TEST(Histogram, BucketLayoutIsContiguousAndNarrow) {
  for (int i = 0; i + 1 < histogram::bucket_count; ++i) {
    ASSERT_EQ(histogram::bucket_high(i), histogram::bucket_low(i + 1)) << i;
    ASSERT_EQ(histogram::bucket_of(histogram::bucket_low(i)), i) << i;
    ASSERT_EQ(histogram::bucket_of(histogram::bucket_high(i) - 1), i) << i;
    const double width = double(histogram::bucket_high(i) - histogram::bucket_low(i));
    if (width > 1) {  // wider than one value: at most 1% of its lowest value
      ASSERT_LE(width / double(histogram::bucket_low(i)), 0.01);
    }
  }
  EXPECT_LT(histogram::bucket_of(max_value), histogram::bucket_count - 1);
}

TEST(Histogram, PercentilesWithinOnePercentAcrossTheRange) {
  for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
    const auto values = seeded_values(seed, 5000);
    histogram h;
    for (auto v : values) h.record(v);
    for (double p : {1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99}) {
      const auto want = exact_percentile(values, p);
      const auto got = h.percentile(p);
      EXPECT_LE(std::abs(double(got - want)), 0.01 * double(want))
          << "seed " << seed << " p" << p << " want " << want << " got " << got;
    }
    EXPECT_EQ(h.max(), *std::max_element(values.begin(), values.end()));
    EXPECT_EQ(h.min(), *std::min_element(values.begin(), values.end()));
    EXPECT_EQ(h.percentile(100), h.max());
  }
}

TEST(Histogram, EachSingleValueComesBackWithinOnePercent) {
  // A value and its neighbour one bucket away: the midpoint must stay within 1% of both.
  for (auto v : seeded_values(9, 2000)) {
    histogram h;
    h.record(v);
    h.record(v + v / 200);
    const auto got = h.percentile(50);
    EXPECT_LE(std::abs(double(got - v)), 0.01 * double(v)) << v;
  }
}

TEST(Histogram, SmallIntegersAreExact) {
  histogram h;
  for (int attempts : {1, 1, 1, 2, 2, 3, 7, 12}) h.record(attempts);
  EXPECT_EQ(h.count(), 8u);
  EXPECT_EQ(h.percentile(50), 2);
  EXPECT_EQ(h.percentile(75), 3);
  EXPECT_EQ(h.percentile(87.5), 7);
  EXPECT_EQ(h.bucket(1), 3u);
  EXPECT_EQ(h.bucket(12), 1u);
  EXPECT_DOUBLE_EQ(h.mean(), 29.0 / 8);
}

TEST(Histogram, NegativeAndHugeValuesAreClamped) {
  histogram h;
  h.record(-5);
  h.record(histogram::overflow_from * 3);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), histogram::overflow_from * 3);
  EXPECT_EQ(h.bucket(histogram::bucket_count - 1), 1u);
  EXPECT_EQ(h.percentile(99), histogram::overflow_from * 3);
}

TEST(Histogram, MergingTwoHalvesEqualsOneHistogramOfAll) {
  const auto values = seeded_values(7, 4000);
  histogram all, first, second;
  for (std::size_t i = 0; i < values.size(); ++i) {
    all.record(values[i]);
    (i % 3 == 0 ? first : second).record(values[i]);
  }
  EXPECT_NE(first, all);
  first.merge(second);
  EXPECT_EQ(first, all);
  EXPECT_EQ(first.percentile(99.9), all.percentile(99.9));
  histogram empty;
  all.merge(empty);
  EXPECT_EQ(first, all);
}

TEST(Histogram, WeightedRecordEqualsRepeatedRecord) {
  histogram a, b;
  a.record(1234567, 5);
  for (int i = 0; i < 5; ++i) b.record(1234567);
  EXPECT_EQ(a, b);
}

TEST(Histogram, JsonRoundTripIsExact) {
  histogram h;
  for (auto v : seeded_values(11, 3000)) h.record(v);
  h.record(0);
  const auto j = h.to_json();
  const auto back = histogram::from_json(nlohmann::json::parse(j.dump()), "r.json", "/h");
  EXPECT_EQ(back, h);
  EXPECT_EQ(back.to_json(), j);
  EXPECT_EQ(histogram::from_json(histogram().to_json(), "r.json", "/h"), histogram());
}

TEST(Histogram, BadJsonNamesThePath) {
  auto j = histogram().to_json();
  j["buckets"] = {{257, 1}};  // not the low end of a bucket
  j["count"] = 1;
  try {
    (void)histogram::from_json(j, "r.json", "/metrics/histograms/attempts");
    FAIL() << "no error";
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), "r.json");
    EXPECT_EQ(e.path(), "/metrics/histograms/attempts/buckets/0/0");
  }
  auto k = histogram().to_json();
  k["count"] = 3;
  EXPECT_THROW((void)histogram::from_json(k, "r.json", ""), input_error);
  k = histogram().to_json();
  k["layout"] = "other";
  EXPECT_THROW((void)histogram::from_json(k, "r.json", ""), input_error);
}

}  // namespace
}  // namespace outbound::reports
