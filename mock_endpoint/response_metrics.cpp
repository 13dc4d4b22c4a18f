#include "mock_endpoint/response_metrics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace outbound::mock_endpoint {

void response_metrics::add(int status, std::string_view outcome, std::string_view fault,
                           duration took) {
  const double seconds = std::chrono::duration<double>(took).count();
  const auto bucket = std::lower_bound(bounds.begin(), bounds.end(), seconds);
  if (bucket != bounds.end()) ++buckets_[static_cast<std::size_t>(bucket - bounds.begin())];
  ++count_;
  sum_seconds_ += seconds;
  ++by_status_[status];
  ++by_outcome_[{std::string(outcome), std::string(fault)}];
}

std::string response_metrics::prometheus() const {
  std::string out;
  out += "# HELP outbound_mock_response_seconds Time from a request read to its answer written.\n";
  out += "# TYPE outbound_mock_response_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    cumulative += buckets_[i];
    out += fmt::format("outbound_mock_response_seconds_bucket{{le=\"{}\"}} {}\n", bounds[i],
                       cumulative);
  }
  out += fmt::format("outbound_mock_response_seconds_bucket{{le=\"+Inf\"}} {}\n", count_);
  out += fmt::format("outbound_mock_response_seconds_sum {}\n", sum_seconds_);
  out += fmt::format("outbound_mock_response_seconds_count {}\n", count_);

  out +=
      "# HELP outbound_mock_responses_by_status_total Requests by HTTP status answered "
      "(status=\"none\": no HTTP answer).\n";
  out += "# TYPE outbound_mock_responses_by_status_total counter\n";
  for (const auto& [status, n] : by_status_) {
    out += fmt::format("outbound_mock_responses_by_status_total{{status=\"{}\"}} {}\n",
                       status == 0 ? std::string("none") : std::to_string(status), n);
  }
  out +=
      "# HELP outbound_mock_responses_by_outcome_total Requests by outcome (acked, nacked, "
      "rejected, faulted by fault kind, wsdl, method_not_allowed).\n";
  out += "# TYPE outbound_mock_responses_by_outcome_total counter\n";
  for (const auto& [key, n] : by_outcome_) {
    out +=
        fmt::format("outbound_mock_responses_by_outcome_total{{outcome=\"{}\",fault=\"{}\"}} {}\n",
                    key.first, key.second, n);
  }
  return out;
}

}  // namespace outbound::mock_endpoint
