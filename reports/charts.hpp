#pragma once
// The report's charts, each one inline SVG element with a fixed id (and data-chart="<id>", which
// scripts/check-report-html looks for): chart-throughput, chart-queue, chart-latency,
// chart-attempts, chart-errors. The two over time shade the fault windows (adjacent ones in
// distinct colours, each named in the legend) and draw the report's markers.
//   std::string svg = throughput_chart(report);   // <svg id="chart-throughput" ...>...</svg>

#include <string>

#include "reports/report.hpp"

namespace outbound::reports {

// Sent, acked and failed notifications per interval over time, fault windows shaded.
std::string throughput_chart(const run_report& r);
// Queue depth (last and peak per interval), in flight and retries due over time, faults shaded.
std::string queue_chart(const run_report& r);
// Latency percentile spectrum p0 ... p99.99, max on log axes: delivery latency and response time.
std::string latency_chart(const run_report& r);
// Notifications per number of attempts (bars).
std::string attempts_chart(const run_report& r);
// Failed attempts per failure class (horizontal bars).
std::string errors_chart(const run_report& r);

}  // namespace outbound::reports
