#include "reports/histogram.hpp"

#include <cmath>

#include "common/input_error.hpp"

namespace outbound::reports {

namespace {
constexpr const char* layout_name = "log-linear-7";
}

histogram::histogram()
    : hist_(boost::histogram::make_histogram_with(std::vector<std::uint64_t>(),
                                                  axis_type(0, bucket_count))) {}

std::int64_t histogram::bucket_low(int index) {
  if (index < exact_below) return index;
  if (index >= bucket_count - 1) return overflow_from;
  const int linear = index - static_cast<int>(exact_below);
  const int e = linear / (1 << sub_bucket_bits) + sub_bucket_bits + 1;
  const std::int64_t sub = linear % (1 << sub_bucket_bits) + (1 << sub_bucket_bits);
  return sub << (e - sub_bucket_bits);
}

std::int64_t histogram::bucket_high(int index) {
  if (index >= bucket_count - 1) return std::numeric_limits<std::int64_t>::max();
  return bucket_low(index + 1);
}

std::uint64_t histogram::bucket(int index) const {
  return hist_.at(index);
}

std::int64_t histogram::percentile(double p) const {
  if (count_ == 0) return 0;
  if (p >= 100) return max_;
  if (p <= 0) return min_;
  // The rank (1-based) of the value asked for: the smallest with at least p% at or below it.
  auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  if (rank < 1) rank = 1;
  std::uint64_t seen = 0;
  for (int i = 0; i < bucket_count; ++i) {
    seen += hist_.at(i);
    if (seen >= rank) {
      std::int64_t v = i == bucket_count - 1 ? max_ : bucket_mid(i);
      if (v < min_) v = min_;
      if (v > max_) v = max_;
      return v;
    }
  }
  return max_;
}

void histogram::merge(const histogram& other) {
  if (other.count_ == 0) return;
  hist_ += other.hist_;
  count_ += other.count_;
  sum_ += other.sum_;
  if (other.min_ < min_) min_ = other.min_;
  if (other.max_ > max_) max_ = other.max_;
}

bool operator==(const histogram& a, const histogram& b) {
  return a.count_ == b.count_ && a.sum_ == b.sum_ && a.min() == b.min() && a.max() == b.max() &&
         a.hist_ == b.hist_;
}

nlohmann::json histogram::to_json() const {
  auto buckets = nlohmann::json::array();
  for (int i = 0; i < bucket_count; ++i) {
    if (const auto n = hist_.at(i)) buckets.push_back({bucket_low(i), n});
  }
  return {{"layout", layout_name}, {"count", count_}, {"min", min()},
          {"max", max()},          {"sum", sum_},     {"buckets", std::move(buckets)}};
}

histogram histogram::from_json(const nlohmann::json& j, const std::string& file,
                               const std::string& path) {
  auto need = [&](bool ok, const std::string& field, const std::string& what) {
    if (!ok) throw input_error(file, path + field, what);
  };
  need(j.is_object(), "", "a histogram object");
  need(j.contains("layout") && j["layout"] == layout_name, "/layout",
       std::string("\"") + layout_name + "\"");
  for (const char* f : {"count", "min", "max", "sum"}) {
    need(j.contains(f) && (j[f].is_number_unsigned() ||
                           (j[f].is_number_integer() && j[f].get<std::int64_t>() >= 0)),
         std::string("/") + f, "a non-negative integer");
  }
  need(j.contains("buckets") && j["buckets"].is_array(), "/buckets", "an array of [low, count]");
  histogram h;
  std::uint64_t total = 0;
  const auto& buckets = j["buckets"];
  for (std::size_t k = 0; k < buckets.size(); ++k) {
    const auto& b = buckets[k];
    const std::string at = "/buckets/" + std::to_string(k);
    need(b.is_array() && b.size() == 2 && b[0].is_number_integer() && b[1].is_number_integer(), at,
         "a pair [low, count] of integers");
    const auto low = b[0].get<std::int64_t>();
    need(b[1].is_number_unsigned() || b[1].get<std::int64_t>() > 0, at + "/1", "a positive count");
    const auto n = b[1].get<std::uint64_t>();
    need(low >= 0 && bucket_low(bucket_of(low)) == low, at + "/0",
         "the lowest value of a bucket of layout " + std::string(layout_name));
    h.hist_(bucket_of(low), boost::histogram::weight(n));
    total += n;
  }
  h.count_ = j["count"].get<std::uint64_t>();
  h.sum_ = j["sum"].get<std::uint64_t>();
  need(total == h.count_, "/count", "the sum of the bucket counts (" + std::to_string(total) + ")");
  if (h.count_ > 0) {
    h.min_ = j["min"].get<std::int64_t>();
    h.max_ = j["max"].get<std::int64_t>();
    need(h.min_ <= h.max_, "/min", "at most max");
  }
  return h;
}

}  // namespace outbound::reports
