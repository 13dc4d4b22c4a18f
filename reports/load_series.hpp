#pragma once
// What a load test measured over time and per definition, for its report (kind "load"): per
// interval the messages requested by the schedule and answered, failed messages per class, and
// the latency from the intended start and the service time as small histograms; per definition
// the OK/KO counts and a latency histogram (a statistics table like Gatling's). Everything adds
// exactly, so `outbound report merge` of shards gives the series of one run with all messages.
//   load_series s(start, 30s);
//   s.due(intended);  s.answered("Notify ERP", intended, sent, now, "");  // "" = acked
//   s.latency_at(3).percentile(99);  s.definitions().at("Notify ERP").ok;

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "reports/histogram.hpp"

namespace outbound::reports {

// histogram's buckets (same precision, same layout) kept sparse: one per series point costs only
// the buckets its values fall in.
class sparse_histogram {
 public:
  void record(std::int64_t value) {
    ++counts_[histogram::bucket_of(value < 0 ? 0 : value)];
    ++count_;
  }
  std::uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // As histogram::percentile, a bucket's midpoint (exact below 256 us); 0 when empty.
  std::int64_t percentile(double p) const;
  void merge(const sparse_histogram& other);
  // [[lowest value of the bucket, count], ...]
  nlohmann::json to_json() const;
  static sparse_histogram from_json(const nlohmann::json& j, const std::string& file,
                                    const std::string& path);
  friend bool operator==(const sparse_histogram&, const sparse_histogram&) = default;

 private:
  std::map<int, std::uint64_t> counts_;  // bucket index -> values in it
  std::uint64_t count_ = 0;
};

// One interval [start + i*interval, +interval).
struct load_point {
  std::uint64_t requested = 0;  // messages whose intended start falls in it (the schedule)
  std::uint64_t answered = 0;   // messages answered in it, acked or failed (the achieved rate)
  std::map<std::string, std::uint64_t, std::less<>> failed;  // by class, answered in it
  // Of the messages intended to start in it that reached the listener (not refused,
  // unreachable or tls): latency from the intended start and service time, in us.
  sparse_histogram latency, service;
  friend bool operator==(const load_point&, const load_point&) = default;
};

// Per definition (its full name), over the whole run.
struct definition_stats {
  std::uint64_t ok = 0, ko = 0;  // messages acked, failed
  histogram latency;             // from the intended start, messages that reached the listener
  friend bool operator==(const definition_stats&, const definition_stats&) = default;
};

class load_series {
 public:
  load_series() = default;
  // Points about length / target_points apart (a round interval), aligned to multiples of the
  // interval since the Unix epoch (so shards line up), about target_points over the expected
  // length.
  load_series(time_point start, duration expected_length);
  static constexpr std::size_t target_points = 120;

  // A message reached its intended start.
  void due(time_point intended) { point(intended).requested += 1; }
  // A message was answered at `at`: acked when failure_class is empty.
  void answered(std::string_view definition, time_point intended, time_point sent, time_point at,
                std::string_view failure_class);

  duration interval() const { return interval_; }
  time_point start() const { return start_; }
  std::size_t size() const { return points_.size(); }
  time_point point_start(std::size_t i) const { return start_ + interval_ * static_cast<long>(i); }
  const std::vector<load_point>& points() const { return points_; }
  const std::map<std::string, definition_stats, std::less<>>& definitions() const {
    return definitions_;
  }

  // Exact: points are re-binned to a common interval (the least common multiple) and added by
  // time; definitions add by name.
  void merge(const load_series& other);
  friend bool operator==(const load_series&, const load_series&) = default;

  nlohmann::json to_json() const;
  static load_series from_json(const nlohmann::json& j, const std::string& file,
                               const std::string& path);

 private:
  load_point& point(time_point t);
  void rebin(duration interval);

  duration interval_{std::chrono::seconds(1)};
  time_point start_{};
  std::vector<load_point> points_;
  std::map<std::string, definition_stats, std::less<>> definitions_;
};

}  // namespace outbound::reports
