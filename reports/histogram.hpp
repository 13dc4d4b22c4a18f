#pragma once
// A log-linear (HDR-style) histogram of non-negative integers: exact below 256, then 128 buckets
// per power of two, so any percentile is within 0.4% of the true value (at most 1% promised) from
// 1 us to 25 days. Every histogram has the same bucket layout, so merging is exact addition.
//   histogram h;  h.record(std::chrono::milliseconds(250));  h.record(3);
//   h.percentile(99.9);  h.merge(other);  auto j = h.to_json();  histogram::from_json(j, file,
//   "/x")

#include <boost/histogram/axis/integer.hpp>
#include <boost/histogram/histogram.hpp>
#include <boost/histogram/make_histogram.hpp>
#include <boost/histogram/storage_adaptor.hpp>
#include <boost/histogram/weight.hpp>
#include <nlohmann/json.hpp>

#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/duration.hpp"

namespace outbound::reports {

class histogram {
 public:
  // Layout: values below exact_below have a bucket each; above, each power of two [2^e, 2^(e+1))
  // is split into 2^sub_bucket_bits equal buckets. Values >= overflow_from share the last bucket.
  static constexpr int sub_bucket_bits = 7;
  static constexpr std::int64_t exact_below = std::int64_t{1} << (sub_bucket_bits + 1);  // 256
  static constexpr int top_exponent = 41;  // 2^41 us is about 25 days
  static constexpr std::int64_t overflow_from = std::int64_t{1} << top_exponent;
  static constexpr int bucket_count =
      static_cast<int>(exact_below) +
      (top_exponent - sub_bucket_bits - 1) * (1 << sub_bucket_bits) + 1;

  histogram();

  // Negative values count as 0. Cheap: a bit scan, a shift and an increment.
  void record(std::int64_t value) {
    if (value < 0) value = 0;
    hist_(bucket_of(value));
    note(value, 1);
  }
  void record(duration d) { record(d.count()); }
  void record(std::int64_t value, std::uint64_t times) {
    if (value < 0) value = 0;
    hist_(bucket_of(value), boost::histogram::weight(times));
    note(value, times);
  }

  std::uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // 0 when empty.
  std::int64_t min() const { return count_ ? min_ : 0; }
  std::int64_t max() const { return count_ ? max_ : 0; }
  // Sum of all recorded values (wraps after 1.8e19, i.e. 100 million values of 48 h in us).
  std::uint64_t sum() const { return sum_; }
  double mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0;
  }
  // The value below or at which `p` percent of the values lie (p in [0, 100]); 0 when empty.
  // p = 100 gives max() exactly; other results are a bucket's midpoint, clamped to [min, max].
  std::int64_t percentile(double p) const;
  // Count of values in bucket `index` (0 <= index < bucket_count).
  std::uint64_t bucket(int index) const;

  void merge(const histogram& other);
  friend bool operator==(const histogram& a, const histogram& b);

  // {"count", "min", "max", "sum", "layout": "log-linear-7", "buckets": [[low, count], ...]}:
  // only non-empty buckets, each named by the lowest value it holds.
  nlohmann::json to_json() const;
  // Throws input_error(file, path..., what was expected) for anything that to_json cannot write.
  static histogram from_json(const nlohmann::json& j, const std::string& file,
                             const std::string& path);

  static int bucket_of(std::int64_t value) {
    if (value < exact_below) return static_cast<int>(value < 0 ? 0 : value);
    if (value >= overflow_from) return bucket_count - 1;
    const int e = std::bit_width(static_cast<std::uint64_t>(value)) - 1;
    const int sub = static_cast<int>(value >> (e - sub_bucket_bits)) - (1 << sub_bucket_bits);
    return static_cast<int>(exact_below) + (e - sub_bucket_bits - 1) * (1 << sub_bucket_bits) + sub;
  }
  // Lowest value in bucket `index`, and one past its highest (max int64 for the overflow bucket).
  static std::int64_t bucket_low(int index);
  static std::int64_t bucket_high(int index);
  // The value a percentile falling in bucket `index` reports: its midpoint (exact below 256 us).
  static std::int64_t bucket_mid(int index) {
    return bucket_low(index) + (bucket_high(index) - 1 - bucket_low(index)) / 2;
  }

 private:
  using axis_type = boost::histogram::axis::integer<int, boost::histogram::use_default,
                                                    boost::histogram::axis::option::none_t>;
  using storage_type = boost::histogram::storage_adaptor<std::vector<std::uint64_t>>;
  using hist_type = boost::histogram::histogram<std::tuple<axis_type>, storage_type>;
  void note(std::int64_t value, std::uint64_t times) {
    count_ += times;
    sum_ += static_cast<std::uint64_t>(value) * times;
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
  }

  hist_type hist_;
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::int64_t min_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t max_ = 0;
};

}  // namespace outbound::reports
