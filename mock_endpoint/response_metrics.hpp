#pragma once
// What the mock answered, for Prometheus: response times as a histogram, responses by HTTP status
// and by outcome (acked, nacked, rejected, faulted by kind). The server adds one entry per request
// once the answer is written (or the connection dropped); GET /__admin/metrics renders them.
//   response_metrics m;  m.add(200, outcome_of(o), 3ms);  std::string text = m.prometheus();

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/duration.hpp"

namespace outbound::mock_endpoint {

class response_metrics {
 public:
  // Upper bounds of the histogram's buckets, in seconds (Prometheus' defaults, widened to a
  // minute: a stalled or delayed answer lands in a bucket, not only in +Inf).
  static constexpr std::array<double, 14> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                 0.25,  0.5,    1,     2.5,  5,     10,   60};

  // `status` 0: no HTTP answer (reset, stall, garbage). `outcome` is "acked", "nacked",
  // "rejected", "faulted", "wsdl" or "method_not_allowed"; `fault` names the kind when faulted.
  void add(int status, std::string_view outcome, std::string_view fault, duration took);
  void clear() { *this = {}; }

  std::uint64_t count() const { return count_; }
  // The metric families in Prometheus' text format (outbound_mock_response_seconds, ...).
  std::string prometheus() const;

 private:
  std::array<std::uint64_t, bounds.size()> buckets_{};  // not cumulative; rendered cumulative
  std::uint64_t count_ = 0;
  double sum_seconds_ = 0;
  std::map<int, std::uint64_t> by_status_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> by_outcome_;  // (outcome, fault)
};

}  // namespace outbound::mock_endpoint
