#pragma once
// The pass/fail limits of a load test, as users write them (docs/thresholds.md):
//   p50 p90 p95 p99 p99.9 (any pN), mean, max   latency from each message's intended start
//   service_p99, service_mean, service_max...   service time: the actual send to the answer
//   errors                                      failed / answered messages: 0.001 or 0.1%
//   achieved_rate                               answered messages per second: 1900/s, or a
//                                               multiple of the requested rate: 0.97*rate
// as METRIC OP LIMIT with OP one of < <= > >= (spaces allowed around it). parse_threshold is the
// one place that reads them; evaluate_thresholds measures a load report, or a merge of shards,
// against them.
//   auto t = parse_threshold("p99<300ms");  // throws input_error naming the threshold
//   report.thresholds = evaluate_thresholds({t}, report);  // report.passed() includes them

#include <string>
#include <string_view>
#include <vector>

#include "reports/report.hpp"

namespace outbound::reports {

enum class threshold_metric { latency, service_time, errors, achieved_rate };
enum class threshold_statistic { percentile, mean, max };  // of latency and service time
enum class comparison { less, less_or_equal, greater, greater_or_equal };

struct threshold {
  std::string text;  // as written, trimmed
  threshold_metric metric = threshold_metric::latency;
  threshold_statistic statistic = threshold_statistic::percentile;
  double percentile = 0;  // in (0, 100) when statistic is percentile
  comparison op = comparison::less;
  double limit = 0;         // us, a fraction of 1, or messages per second
  bool times_rate = false;  // achieved_rate: `limit` times the requested rate
};

// Throws input_error(file, path, what was expected) for anything but the grammar above; without
// a file the error names the option: --threshold "p99<300".
threshold parse_threshold(std::string_view text, const std::string& file = "",
                          const std::string& path = "");

// Measures `r` against `t`. Latency and service time come from the report's histograms (exact
// for a merge: the shards' histograms add), errors from its message counters, the achieved rate
// from the answered messages over the run's span (at least the requested duration) and the
// requested rate from its shards. Nothing measured (no answers, no samples) fails.
threshold_result evaluate(const threshold& t, const run_report& r);
std::vector<threshold_result> evaluate_thresholds(const std::vector<threshold>& thresholds,
                                                  const run_report& r);

}  // namespace outbound::reports
